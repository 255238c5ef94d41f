import { cleanText } from '../../shared/text';
import { type Step, type StepContext, type StepOutcome } from '../flow';
import { matchOption, type ChoiceOption } from './choice-step';
import type { OutboundMessage } from '../../core/chat';
import { stepPayload } from '../../core/payloads';

export interface TextStepSpec<Draft> {
  id: string;
  prompt(ctx: StepContext<Draft>): string;
  /** Longest accepted answer; defaults to the configured MAX_TEXT_LENGTH. */
  maxLength?: number;
  minLength?: number;
  /** Buttons offered beside typing (e.g. "Skip"); a typed label picks them too. */
  options?(ctx: StepContext<Draft>): ChoiceOption[];
  chosen?(ctx: StepContext<Draft>, value: string): StepOutcome<Draft> | Promise<StepOutcome<Draft>>;
  accept(ctx: StepContext<Draft>, text: string): StepOutcome<Draft> | Promise<StepOutcome<Draft>>;
}

/** A free-text question: refuses empty and over-long answers with a message that says the limit. */
export function textStep<Draft>(spec: TextStepSpec<Draft>): Step<Draft> {
  const options = (ctx: StepContext<Draft>): ChoiceOption[] => spec.options?.(ctx) ?? [];
  return {
    id: spec.id,
    prompt: (ctx): OutboundMessage => {
      const buttons = options(ctx).map((o) => [{ label: o.label, payload: stepPayload(spec.id, o.value) }]);
      return { text: spec.prompt(ctx), buttons: buttons.length > 0 ? buttons : undefined };
    },
    handle: (ctx, input) => {
      if (input.kind === 'choice' && spec.chosen && options(ctx).some((o) => o.value === input.value)) return spec.chosen(ctx, input.value);
      if (input.kind === 'unsupported') return { kind: 'invalid', reason: 'errors.sticker_not_text' };
      if (input.kind !== 'text') return { kind: 'invalid', reason: 'errors.text_expected' };
      const picked = spec.chosen ? matchOption(options(ctx), input.text) : undefined;
      if (picked && spec.chosen) return spec.chosen(ctx, picked.value);
      const text = cleanText(input.text);
      const max = spec.maxLength ?? ctx.limits.maxTextLength;
      if (text.length < (spec.minLength ?? 1)) return { kind: 'invalid', reason: 'errors.text_too_short', vars: { min: spec.minLength ?? 1 } };
      if (text.length > max) return { kind: 'invalid', reason: 'errors.text_too_long', vars: { max, length: text.length } };
      return spec.accept(ctx, text);
    },
  };
}
