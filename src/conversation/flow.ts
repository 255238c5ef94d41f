import type { Catalog } from '../config/catalog';
import type { Translate } from '../i18n';
import type { Language } from '../core/language';
import type { ChannelName, InboundEvent, OutboundMessage } from '../core/chat';

/** Bump when flow definitions change incompatibly; older saved drafts are then dropped with an apology. */
export const FLOW_VERSION = 1;

/** Limits from configuration that steps enforce. */
export interface Limits {
  maxTextLength: number;
  maxEvidenceFiles: number;
  maxEvidenceBytes: number;
}

/** What a step sees: its draft, the resident's language, and the catalog. No channel types, only which channel it is (for what it can offer). */
export interface StepContext<Draft> {
  draft: Draft;
  channel: ChannelName;
  t: Translate;
  lang: Language;
  catalog: Catalog;
  limits: Limits;
  now: Date;
}

/** A resident's answer to a step, after the engine has handled commands and global buttons. */
export type StepInput =
  | { kind: 'choice'; value: string }
  | Extract<InboundEvent, { kind: 'text' | 'location' | 'contact' | 'media' | 'unsupported' }>;

/** What a step decided. */
export type StepOutcome<Draft> =
  /** Answer taken: go to the flow's next step (or back to review when editing). */
  | { kind: 'advance'; draft: Draft; say?: OutboundMessage[] }
  /** Answer taken: go to a named step (a sub-question). */
  | { kind: 'goto'; step: string; draft: Draft; say?: OutboundMessage[] }
  /** Answer taken, same step again (collecting several files). */
  | { kind: 'stay'; draft: Draft; say: OutboundMessage[] }
  /** Answer refused: say why (a locale key) and ask again. */
  | { kind: 'invalid'; reason: string; vars?: Record<string, string | number> }
  /** The resident confirmed the review. */
  | { kind: 'submit' }
  /** The resident gave up on the flow. */
  | { kind: 'cancel' }
  /** The flow ends here with these messages (a one-question flow such as a status look-up). */
  | { kind: 'done'; say: OutboundMessage[] };

export interface Step<Draft> {
  id: string;
  /** Set on a sub-question: `advance` from it continues after its parent. */
  parent?: string;
  prompt(ctx: StepContext<Draft>): OutboundMessage;
  handle(ctx: StepContext<Draft>, input: StepInput): StepOutcome<Draft> | Promise<StepOutcome<Draft>>;
}

/** The result of a submitted flow, told to the resident. */
export interface FlowCompletion {
  say: OutboundMessage[];
  /** The receipt code of the case filed: a "Gửi" pressed again on the review answers with it. */
  receipt?: string;
}

/**
 * A flow is data: an ordered list of steps (each with its prompt, buttons and
 * validation), a fresh draft, and what to do with a confirmed draft.
 */
export interface Flow<Draft> {
  id: string;
  /** Consent to the privacy notice is needed before the first step. */
  needsConsent: boolean;
  /** Steps in order; `advance` moves to the next one. */
  steps: Step<Draft>[];
  /** Step that `advance` returns to while the resident is editing an answer. */
  reviewStep?: string;
  newDraft(ctx: { now: Date }): Draft;
  /** While true, `advance` returns to the review step; `doneEditing` clears it. */
  isEditing?(draft: Draft): boolean;
  doneEditing?(draft: Draft): Draft;
  /** Lets go of what an abandoned draft holds (its evidence files). */
  abandon?(draft: Draft): Promise<void>;
  /** Answered by an officer in a desk group (plain text is otherwise ignored in groups). */
  answeredInDeskChat?: boolean;
  submit?(ctx: StepContext<Draft> & { residentKey: string }): Promise<FlowCompletion>;
}

/** Marks a step as a sub-question of another. */
export function subStep<Draft>(parent: string, step: Step<Draft>): Step<Draft> {
  return { ...step, parent };
}

/** The step `advance` leads to from `stepId`: the next one in order that is not a sub-question. */
export function nextMainStep<Draft>(flow: Flow<Draft>, stepId: string): string | null {
  const current = flow.steps.find((s) => s.id === stepId);
  const base = current?.parent ?? stepId;
  const index = flow.steps.findIndex((s) => s.id === base);
  const next = flow.steps.slice(index + 1).find((s) => s.parent === undefined);
  return next?.id ?? null;
}
