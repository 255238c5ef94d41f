import path from 'node:path';
import { splitText } from '../../src/channels/telegram/telegram-channel';
import { loadCatalog } from '../../src/config/catalog';
import { ChatQueue } from '../../src/conversation/chat-queue';
import { cancelCommand } from '../../src/conversation/features/account/cancel-command';
import { forgetCommand } from '../../src/conversation/features/account/forget-command';
import { lookupCommand } from '../../src/conversation/features/tips/lookup-command';
import { reportCommand } from '../../src/conversation/features/tips/report-command';
import { feature } from '../../src/conversation/registry/command';
import { CommandRegistry } from '../../src/conversation/registry/command-registry';
import { nextMainStep, subStep, type Flow, type StepContext } from '../../src/conversation/flow';
import { choiceStep } from '../../src/conversation/steps/choice-step';
import { textStep } from '../../src/conversation/steps/text-step';
import { createI18n } from '../../src/i18n';
import { ROOT } from '../support/services';
import { parsePayload } from '../../src/core/payloads';

type Draft = { answer?: string };

const i18n = createI18n(path.join(ROOT, 'locales'));
const ctx: StepContext<Draft> = {
  draft: {},
  channel: 'telegram',
  t: i18n.forLanguage('vi'),
  lang: 'vi',
  catalog: loadCatalog(path.join(ROOT, 'config')),
  limits: { maxTextLength: 20, maxEvidenceFiles: 2, maxEvidenceBytes: 1000 },
  now: new Date(),
};
const base = { address: { channel: 'webchat' as const, chatId: 'x' }, key: 'k', isGroup: false, senderId: null, senderName: null };

describe('choice steps', () => {
  const step = choiceStep<Draft>({
    id: 'pick',
    prompt: () => 'Pick',
    options: () => [
      { value: 'a', label: '🕶 Gửi ẩn danh' },
      { value: 'b', label: 'Để lại số', aliases: ['co danh tinh'] },
    ],
    chosen: (c, value) => ({ kind: 'advance', draft: { ...c.draft, answer: value } }),
  });

  it('render their options as buttons carrying the step id', () => {
    expect(step.prompt(ctx).buttons).toEqual([[{ label: '🕶 Gửi ẩn danh', payload: 's:pick:a' }], [{ label: 'Để lại số', payload: 's:pick:b' }]]);
  });

  it('accept a button, a number, a label without diacritics or emoji, or an alias', async () => {
    for (const input of [{ kind: 'choice' as const, value: 'a' }, { ...base, kind: 'text' as const, text: '1' }, { ...base, kind: 'text' as const, text: 'gui an danh' }]) {
      expect(await step.handle(ctx, input)).toEqual({ kind: 'advance', draft: { answer: 'a' } });
    }
    expect(await step.handle(ctx, { ...base, kind: 'text', text: 'Có danh tính' })).toEqual({ kind: 'advance', draft: { answer: 'b' } });
  });

  it('refuse anything else with a reason to show', async () => {
    expect(await step.handle(ctx, { ...base, kind: 'text', text: 'maybe' })).toEqual({ kind: 'invalid', reason: 'errors.choose_option' });
    expect(await step.handle(ctx, { kind: 'choice', value: 'zzz' })).toEqual({ kind: 'invalid', reason: 'errors.choose_option' });
    expect(await step.handle(ctx, { ...base, kind: 'unsupported', what: 'sticker' })).toEqual({ kind: 'invalid', reason: 'errors.sticker_not_text' });
  });
});

describe('text steps', () => {
  const step = textStep<Draft>({ id: 'say', prompt: () => 'Say', minLength: 3, accept: (c, text) => ({ kind: 'advance', draft: { ...c.draft, answer: text } }) });

  it('trim and accept text within the limits', async () => {
    expect(await step.handle(ctx, { ...base, kind: 'text', text: '  xin chào  ' })).toEqual({ kind: 'advance', draft: { answer: 'xin chào' } });
  });

  it('refuse empty, too short and too long answers, saying the limits', async () => {
    expect(await step.handle(ctx, { ...base, kind: 'text', text: '   ' })).toEqual({ kind: 'invalid', reason: 'errors.text_too_short', vars: { min: 3 } });
    expect(await step.handle(ctx, { ...base, kind: 'text', text: 'x'.repeat(21) })).toEqual({ kind: 'invalid', reason: 'errors.text_too_long', vars: { max: 20, length: 21 } });
    expect(await step.handle(ctx, { ...base, kind: 'location', lat: 1, lon: 2 })).toEqual({ kind: 'invalid', reason: 'errors.text_expected' });
  });
});

describe('flow order', () => {
  const plain = (id: string) => ({ id, prompt: () => ({ text: id }), handle: () => ({ kind: 'cancel' as const }) });
  const flow: Flow<Draft> = {
    id: 'f',
    needsConsent: false,
    newDraft: () => ({}),
    steps: [plain('one'), plain('two'), subStep('two', plain('two_more')), plain('three')],
  };

  it('advances past sub-questions to the next main step', () => {
    expect(nextMainStep(flow, 'one')).toBe('two');
    expect(nextMainStep(flow, 'two')).toBe('three');
    expect(nextMainStep(flow, 'two_more')).toBe('three');
    expect(nextMainStep(flow, 'three')).toBeNull();
  });
});

describe('button payloads and commands', () => {
  it('tell step answers from global actions, and reject anything else', () => {
    expect(parsePayload('s:category:drugs')).toEqual({ scope: 'step', step: 'category', value: 'drugs' });
    expect(parsePayload('g:consent:yes')).toEqual({ scope: 'global', action: 'consent', arg: 'yes' });
    expect(parsePayload('g:menu')).toEqual({ scope: 'global', action: 'menu', arg: null });
    expect(parsePayload('{"$gt":""}')).toBeNull();
  });

  const registry = new CommandRegistry([
    feature(undefined as never, { commands: [reportCommand, lookupCommand] }),
    feature(undefined as never, { commands: [forgetCommand, cancelCommand] }),
  ]);

  it('resolve Vietnamese and English commands, with or without diacritics', () => {
    expect(registry.command('baotin')?.id).toBe('report');
    expect(registry.command('BáoTin')?.id).toBe('report');
    expect(registry.command('status')?.id).toBe('lookup');
    expect(registry.command('xoadulieu')?.id).toBe('forget');
    expect(registry.command('nope')).toBeNull();
    expect(registry.bareWord('Hủy')?.id).toBe('cancel');
    expect(registry.bareWord('báo tin')?.id).toBe('report');
    expect(registry.bareWord('Tra cứu.')?.id).toBe('lookup');
  });

  it('refuse, at start-up, two commands that claim the same name', () => {
    const twin = { ...lookupCommand, id: 'lookup_again', names: { vi: ['tracuu'], en: [] } };
    expect(() => new CommandRegistry([feature(undefined as never, { commands: [lookupCommand, twin] })])).toThrow('Two handlers claim the command name "tracuu"');
  });

  it('refuse, at start-up, a name declared with diacritics (it could never match what is typed)', () => {
    const accented = { ...lookupCommand, id: 'lookup_accented', names: { vi: ['tracứu'], en: [] } };
    expect(() => new CommandRegistry([feature(undefined as never, { commands: [accented] })])).toThrow('"tracứu" should be "tracuu"');
  });
});

describe('per-chat ordering', () => {
  it('runs one chat strictly in order while other chats run alongside', async () => {
    const queue = new ChatQueue();
    const log: string[] = [];
    const task = (name: string, ms: number) => () => new Promise<void>((resolve) => setTimeout(() => { log.push(name); resolve(); }, ms));
    await Promise.all([queue.run('a', task('a1', 30)), queue.run('a', task('a2', 1)), queue.run('b', task('b1', 5)), queue.run('a', task('a3', 1))]);
    expect(log.filter((n) => n.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(log.indexOf('b1')).toBeLessThan(log.indexOf('a1'));
  });

  it('keeps going after a task fails', async () => {
    const queue = new ChatQueue();
    await expect(queue.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(queue.run('a', async () => 'next')).resolves.toBe('next');
  });
});

describe('Telegram message splitting', () => {
  it('keeps every part within the limit and loses no text', () => {
    const text = Array.from({ length: 300 }, (_, i) => `Dòng số ${i} của bản tin dài.`).join('\n');
    const parts = splitText(text, 1000);
    expect(parts.every((p) => p.length <= 1000)).toBe(true);
    expect(parts.join('\n')).toBe(text);
  });
});
