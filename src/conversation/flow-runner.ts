import type { Catalog } from '../config/catalog';
import type { OutboundMessage } from '../core/chat';
import type { Translate } from '../i18n';
import { moduleLogger } from '../shared/logger';
import { nextMainStep, type StepInput, type Flow, type Limits, type Step, type StepOutcome } from './flow';
import { mainMenu } from './messages';
import type { Turn } from './turn';

const log = moduleLogger('flow-runner');

/** Whether a chat's resident agreed to the privacy notice, and how to ask them. */
export interface ConsentGate {
  hasConsented(residentKey: string): Promise<boolean>;
  request(t: Translate): OutboundMessage[];
}

export interface FlowRunnerDeps {
  catalog: Catalog;
  limits: Limits;
  consent: ConsentGate;
}

/** Starts, advances, cancels and expires flows on a turn. Knows flows only as data. */
export class FlowRunner {
  private readonly flows: Map<string, Flow<unknown>>;

  constructor(
    flows: Flow<unknown>[],
    private readonly deps: FlowRunnerDeps,
  ) {
    this.flows = new Map(flows.map((f) => [f.id, f]));
  }

  get(id: string | null): Flow<unknown> | undefined {
    return id ? this.flows.get(id) : undefined;
  }

  /**
   * Starts a flow with an optional starting draft. A flow that will store
   * personal data asks for consent first, and starts once it is given.
   */
  async start(turn: Turn, flowId: string, draft?: Record<string, unknown>): Promise<void> {
    const flow = this.flows.get(flowId);
    if (!flow) throw new Error(`Unknown flow ${flowId}. Known flows are: ${[...this.flows.keys()].join(', ')}`);
    if (flow.needsConsent && !(await this.deps.consent.hasConsented(turn.key))) {
      turn.set({ pendingFlow: flowId });
      turn.say(...this.deps.consent.request(turn.t));
      return;
    }
    await this.discardDraft(turn);
    const first = flow.steps[0];
    // A starting draft given by the caller fills in the flow's fresh one.
    const fresh = flow.newDraft({ now: turn.now }) as Record<string, unknown>;
    turn.set({ flow: flow.id, step: first.id, draft: { ...fresh, ...draft }, pendingFlow: null });
    turn.say({ text: turn.t(`${flow.id}.intro`) }, first.prompt(turn.stepContext(flow, this.deps.catalog, this.deps.limits)));
  }

  async cancel(turn: Turn): Promise<void> {
    const had = turn.flow !== null;
    await this.discardDraft(turn);
    turn.set({ flow: null, step: null, draft: null, pendingFlow: null });
    turn.say(mainMenu(turn.t, turn.t(had ? 'flow.cancelled' : 'flow.nothing_to_cancel')));
  }

  /** The question the resident is on, asked again (after an error, a language change, a redelivery). */
  currentPrompt(turn: Turn): ReturnType<Step<unknown>['prompt']> | null {
    const flow = this.get(turn.flow);
    const step = flow?.steps.find((s) => s.id === turn.step);
    return flow && step ? step.prompt(turn.stepContext(flow, this.deps.catalog, this.deps.limits)) : null;
  }

  async run(turn: Turn, input: StepInput): Promise<void> {
    const flow = this.get(turn.flow);
    const step = flow?.steps.find((s) => s.id === turn.step);
    if (!flow || !step) {
      log.warn({ flow: turn.flow, step: turn.step }, 'conversation pointed at an unknown step; reset');
      turn.set({ flow: null, step: null, draft: null });
      turn.say(mainMenu(turn.t, turn.t('flow.lost')));
      return;
    }
    const ctx = turn.stepContext(flow, this.deps.catalog, this.deps.limits);
    const outcome: StepOutcome<unknown> = await step.handle(ctx, input);
    switch (outcome.kind) {
      case 'invalid':
        turn.say({ text: turn.t(outcome.reason, outcome.vars) }, step.prompt(ctx));
        return;
      case 'stay':
        turn.set({ draft: outcome.draft as Record<string, unknown> });
        turn.say(...outcome.say);
        return;
      case 'advance':
      case 'goto': {
        let draft = outcome.draft;
        let next = outcome.kind === 'goto' ? outcome.step : nextMainStep(flow, step.id);
        if (outcome.kind === 'advance' && flow.reviewStep && flow.isEditing?.(draft)) {
          next = flow.reviewStep;
          draft = flow.doneEditing ? flow.doneEditing(draft) : draft;
        }
        const nextStep = flow.steps.find((s) => s.id === next);
        if (!nextStep) throw new Error(`Flow ${flow.id} has no step ${String(next)} after ${step.id}`);
        turn.set({ step: nextStep.id, draft: draft as Record<string, unknown> });
        turn.say(...(outcome.say ?? []), nextStep.prompt({ ...ctx, draft }));
        return;
      }
      case 'submit': {
        // A flow that keeps nothing about the person (an admin's campaign) needs no resident record.
        const key = !flow.needsConsent || (await this.deps.consent.hasConsented(turn.key)) ? turn.key : null;
        if (!flow.submit || !key) {
          await this.cancel(turn);
          return;
        }
        const done = await flow.submit({ ...ctx, residentKey: key });
        turn.set({ flow: null, step: null, draft: null, ...(done.receipt ? { filed: { flow: flow.id, code: done.receipt } } : {}) });
        turn.say(...done.say);
        return;
      }
      case 'done':
        turn.set({ flow: null, step: null, draft: null });
        turn.say(...outcome.say);
        return;
      case 'cancel':
        await this.cancel(turn);
        return;
    }
  }

  /** Drops a draft left idle too long, with its evidence files. */
  async expire(turn: Turn): Promise<void> {
    const expired = turn.flow;
    await this.discardDraft(turn);
    turn.set({ flow: null, step: null, draft: null, expiredFlow: null });
    turn.say({ text: turn.t('flow.expired', { flow: turn.t(`${expired ?? 'tip'}.name`) }) });
  }

  async discardDraft(turn: Turn): Promise<void> {
    const flow = this.get(turn.flow);
    if (flow?.abandon && turn.draft) await flow.abandon(turn.draft);
  }
}
