import type { CampaignRole } from '../../../domain/campaigns/campaign-service';
import { foldVietnamese } from '../../../shared/text';
import { adminActor } from '../../actors';
import { campaignCommandText, campaignListText } from '../../presenters/campaign-text';
import type { Command, ConversationTools } from '../../registry/command';
import type { Turn } from '../../turn';
import type { CampaignDeps } from './deps';

/**
 * /chiendich (/campaign): create (no arguments), list ("ds"), figures
 * ("<mã>"), pause/resume/cancel ("<mã> tamdung|tieptuc|huy") or edit ("<mã> sua").
 */
export const campaignCommand: Command<CampaignDeps> = {
  id: 'campaign',
  names: { vi: ['chiendich'], en: ['campaign'] },
  where: ['private'],
  async handle(turn, args, deps, tools) {
    const { event } = turn;
    const role = await deps.campaigns.roleOf({ userId: event.senderId, telegramUserId: adminActor(event).telegramUserId });
    if (role.kind === 'none' || !event.senderId) return void turn.say({ text: turn.t('campaign.not_allowed') });
    const words = args.trim();
    const scope = { unitIds: role.kind === 'unit_admin' ? role.unitIds : [], wardScope: deps.campaigns.wardsOf(role) };
    if (!words) return tools.runner.start(turn, 'campaign', { mode: role.kind, authorId: event.senderId, chatId: event.address.chatId, ...scope });
    if (/^(ds|list|danh sach)$/i.test(words)) return void turn.say({ text: campaignListText(turn.t, await deps.campaigns.list(event.senderId, role)) });
    const [id, verb, ...more] = words.split(/\s+/);
    if (verb && more.length === 0 && ['sua', 'edit'].includes(foldVietnamese(verb))) return editCampaign(turn, role, scope, event.senderId, id, deps, tools);
    turn.say({ text: campaignCommandText(turn.t, await deps.campaigns.command(event.senderId, role, words, turn.now)) });
  },
};

/** /chiendich <mã> sua: the creation steps again on the same campaign, each offering to keep what it says now. */
async function editCampaign(
  turn: Turn,
  role: Exclude<CampaignRole, { kind: 'none' }>,
  scope: { unitIds: string[] | null; wardScope: string[] | null },
  userId: string,
  id: string,
  { campaigns }: CampaignDeps,
  { runner }: ConversationTools,
): Promise<void> {
  const found = await campaigns.editable(userId, role, id);
  if (found.kind !== 'ok') return void turn.say({ text: turn.t(`campaign.edit_${found.kind}`, { id: id.toUpperCase() }) });
  const { campaign } = found;
  const schedule = campaign.schedule.kind === 'once' ? { kind: 'once', at: new Date(campaign.schedule.at).toISOString() } : { kind: 'cron', expression: campaign.schedule.expression, until: new Date(campaign.schedule.until).toISOString() };
  turn.say({ text: turn.t('campaign.edit_intro', { id: campaign._id }) });
  await runner.start(turn, 'campaign', {
    mode: role.kind,
    ...scope,
    authorId: userId,
    chatId: turn.event.address.chatId,
    editing: { id: campaign._id, messages: campaign.messages.map((m) => ({ text: m.text, image: m.image ?? null })), wards: campaign.audience.wards, schedule, quiet: campaign.quiet },
  });
}
