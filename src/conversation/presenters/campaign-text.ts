import type { CampaignCommandResult, CampaignSummary, RunFigures } from '../../domain/campaigns/campaign-service';
import type { Translate } from '../../i18n';
import { formatVietnamTime } from '../../shared/vietnam-time';

/** /chiendich ds: the campaigns, newest first. */
export function campaignListText(t: Translate, campaigns: CampaignSummary[]): string {
  if (campaigns.length === 0) return t('campaign.none');
  return [t('campaign.list_title'), ...campaigns.map((c) => t('campaign.list_line', { id: c._id, topic: t(`campaign_topic.${c.topic}`), status: t(`campaign.status.${c.status}`) }))].join('\n');
}

/** /chiendich <mã> [verb]: a status change, or the campaign's runs with where their deliveries stand. */
export function campaignCommandText(t: Translate, result: CampaignCommandResult): string {
  switch (result.kind) {
    case 'not_found':
      return t('campaign.not_found', { id: result.id });
    case 'usage':
      return t('campaign.usage');
    case 'already_over':
      return t('campaign.already_over', { id: result.id });
    case 'changed_meanwhile':
      return t('campaign.changed_meanwhile', { id: result.id });
    case 'status_changed':
      return t(`campaign.now_${result.status}`, { id: result.id });
    case 'figures': {
      const { campaign } = result;
      const lines = result.runs.map((run) => runLine(t, run));
      return [t('campaign.figures_title', { id: campaign._id, topic: t(`campaign_topic.${campaign.topic}`), status: t(`campaign.status.${campaign.status}`) }), ...(lines.length > 0 ? lines : [t('campaign.no_runs')])].join('\n');
    }
  }
}

function runLine(t: Translate, run: RunFigures): string {
  const { recipients, sent, failed, blocked, skipped, pending } = run;
  return t('campaign.run_line', { when: formatVietnamTime(run.fireAt, 'vi'), recipients, sent, failed, blocked, skipped, doubt: run.inDoubt, pending });
}
