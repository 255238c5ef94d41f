import { feature, type Feature } from '../../registry/command';
import type { DeskDeps } from './deps';
import { deskCommand } from './desk-command';
import { extendCommand } from './extend-command';
import { overdueCommand } from './overdue-command';
import { topicCommand } from './topic-command';
import { deskQuestionAction, triageAction } from './desk-card-actions';
import { createDeskReplyFlow } from './desk-reply-flow';
import { createDuplicateOfFlow } from './duplicate-of-flow';
import { createCloseSubjectsFlow } from './close-subjects-flow';
import { createForwardReasonFlow } from './forward-reason-flow';

export type { DeskDeps };

/** The officers' duty desk: registering it, forum topics, the buttons of tip cards, deadlines. */
export function deskFeature(deps: DeskDeps): Feature {
  return feature(deps, {
    commands: [deskCommand, topicCommand, overdueCommand, extendCommand],
    // The question buttons first: "close:duplicate", "close:handled" and "close:prosecuted" are also triage actions, but ask something first.
    deskActions: [deskQuestionAction, triageAction],
    flows: [createDeskReplyFlow(deps.followups), createForwardReasonFlow(deps.triage, deps.units), createDuplicateOfFlow(deps.triage), createCloseSubjectsFlow(deps.triage)],
  });
}
