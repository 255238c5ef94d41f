/**
 * The baseline for bench/tip-latency: a tip flow written the conventional
 * way, with telegraf's WizardScene and @telegraf/session's MongoDB store, on
 * the same database server. It asks the same questions in the same order and
 * stores the same kind of report, with none of our guarantees (no inbox, no
 * versioned state, no desk cards, no encryption).
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { Markup, Scenes, session, Telegraf } from 'telegraf';
import { Mongo } from '@telegraf/session/mongodb';

interface TipWizard extends Scenes.WizardSessionData {
  tip: Record<string, string>;
}
type Ctx = Scenes.WizardContext<TipWizard>;

/** Callback data and texts the load generator sends this bot, step by step. */
export const CONVENTIONAL_PAYLOADS = {
  category: 'cat:fraud',
  occurred: 'time:today',
  evidenceDone: 'ev:done',
  anonymous: 'anon:yes',
  send: 'review:send',
};

const text = (ctx: Ctx): string | null => (ctx.message && 'text' in ctx.message ? ctx.message.text : null);
const data = (ctx: Ctx): string | null => (ctx.callbackQuery && 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : null);

export interface ConventionalBot {
  url: string;
  stop(): Promise<void>;
}

export async function startConventionalBot(options: { mongoUri: string; database: string; apiRoot: string; token: string }): Promise<ConventionalBot> {
  const client = new MongoClient(options.mongoUri);
  await client.connect();
  const reports = client.db(options.database).collection('conventional_reports');

  const wizard = new Scenes.WizardScene<Ctx>(
    'tip',
    async (ctx) => {
      ctx.scene.session.tip = {};
      await ctx.reply('Bước 1/7: loại tin báo?', Markup.inlineKeyboard([Markup.button.callback('Lừa đảo', CONVENTIONAL_PAYLOADS.category)]));
      return ctx.wizard.next();
    },
    async (ctx) => {
      const chosen = data(ctx);
      if (!chosen) return;
      await ctx.answerCbQuery();
      ctx.scene.session.tip.category = chosen;
      await ctx.reply('Bước 2/7: chuyện gì đã xảy ra?');
      return ctx.wizard.next();
    },
    async (ctx) => {
      const typed = text(ctx);
      if (!typed) return;
      ctx.scene.session.tip.description = typed;
      await ctx.reply('Bước 3/7: ở đâu?');
      return ctx.wizard.next();
    },
    async (ctx) => {
      const typed = text(ctx);
      if (!typed) return;
      ctx.scene.session.tip.place = typed;
      await ctx.reply('Bước 4/7: khi nào?', Markup.inlineKeyboard([Markup.button.callback('Hôm nay', CONVENTIONAL_PAYLOADS.occurred)]));
      return ctx.wizard.next();
    },
    async (ctx) => {
      const chosen = data(ctx);
      if (!chosen) return;
      await ctx.answerCbQuery();
      ctx.scene.session.tip.occurred = chosen;
      await ctx.reply('Bước 5/7: gửi ảnh, hoặc bấm Xong', Markup.inlineKeyboard([Markup.button.callback('Xong', CONVENTIONAL_PAYLOADS.evidenceDone)]));
      return ctx.wizard.next();
    },
    async (ctx) => {
      if (!data(ctx)) return;
      await ctx.answerCbQuery();
      await ctx.reply('Bước 6/7: số điện thoại, tài khoản của đối tượng?');
      return ctx.wizard.next();
    },
    async (ctx) => {
      const typed = text(ctx);
      if (!typed) return;
      ctx.scene.session.tip.suspects = typed;
      await ctx.reply('Bước 7/7: ẩn danh?', Markup.inlineKeyboard([Markup.button.callback('Gửi ẩn danh', CONVENTIONAL_PAYLOADS.anonymous)]));
      return ctx.wizard.next();
    },
    async (ctx) => {
      if (!data(ctx)) return;
      await ctx.answerCbQuery();
      await ctx.reply(`Kiểm tra lại:\n${JSON.stringify(ctx.scene.session.tip)}`, Markup.inlineKeyboard([Markup.button.callback('Gửi tin báo', CONVENTIONAL_PAYLOADS.send)]));
      return ctx.wizard.next();
    },
    async (ctx) => {
      if (!data(ctx)) return;
      await ctx.answerCbQuery();
      const code = `TB-${randomBytes(3).toString('hex').toUpperCase()}`;
      await reports.insertOne({ code, ...ctx.scene.session.tip, createdAt: new Date() });
      await ctx.reply(`Mã biên nhận: ${code}`);
      return ctx.scene.leave();
    },
  );

  const bot = new Telegraf<Ctx>(options.token, { telegram: { apiRoot: options.apiRoot, webhookReply: false } });
  bot.use(session({ store: Mongo<Scenes.WizardSession<TipWizard>>({ client, database: options.database, collection: 'telegraf-sessions' }) }));
  bot.use(new Scenes.Stage<Ctx>([wizard]).middleware());
  bot.command('baotin', (ctx) => ctx.scene.enter('tip'));
  bot.botInfo = { id: 1, is_bot: true, first_name: 'baseline', username: 'baseline_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };

  const handle = bot.webhookCallback('/hook');
  const server = http.createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await client.close();
    },
  };
}
