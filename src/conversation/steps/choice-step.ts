import { foldVietnamese } from '../../shared/text';
import { type Step, type StepContext, type StepOutcome } from '../flow';
import type { Button, OutboundMessage } from '../../core/chat';
import { stepPayload } from '../../core/payloads';

export interface ChoiceOption {
  value: string;
  label: string;
  /** More words that pick this option when typed (compared without diacritics). */
  aliases?: string[];
}

export interface ChoiceStepSpec<Draft> {
  id: string;
  prompt(ctx: StepContext<Draft>): string;
  options(ctx: StepContext<Draft>): ChoiceOption[];
  columns?: number;
  /** May be async: a last answer that records something (an activity) and ends the flow. */
  chosen(ctx: StepContext<Draft>, value: string): StepOutcome<Draft> | Promise<StepOutcome<Draft>>;
  /** Typed text that matches no option; by default it is refused. */
  typed?(ctx: StepContext<Draft>, text: string): StepOutcome<Draft>;
}

/**
 * A question answered with buttons. Typing works too: an option's number
 * ("2"), its label or an alias, with or without diacritics.
 */
export function choiceStep<Draft>(spec: ChoiceStepSpec<Draft>): Step<Draft> {
  return {
    id: spec.id,
    prompt: (ctx): OutboundMessage => ({
      text: spec.prompt(ctx),
      buttons: rows(
        spec.options(ctx).map((o) => ({ label: o.label, payload: stepPayload(spec.id, o.value) })),
        spec.columns ?? 1,
      ),
    }),
    handle: (ctx, input) => {
      const options = spec.options(ctx);
      if (input.kind === 'choice') {
        return options.some((o) => o.value === input.value) ? spec.chosen(ctx, input.value) : { kind: 'invalid', reason: 'errors.choose_option' };
      }
      if (input.kind === 'text') {
        const match = matchOption(options, input.text);
        if (match) return spec.chosen(ctx, match.value);
        return spec.typed ? spec.typed(ctx, input.text) : { kind: 'invalid', reason: 'errors.choose_option' };
      }
      if (input.kind === 'unsupported') return { kind: 'invalid', reason: 'errors.sticker_not_text' };
      return { kind: 'invalid', reason: 'errors.choose_option' };
    },
  };
}

export function matchOption(options: ChoiceOption[], typed: string): ChoiceOption | undefined {
  const folded = foldVietnamese(typed).replace(/^[^\p{L}\p{N}]+/u, '');
  const index = /^\d{1,2}$/.test(folded) ? Number(folded) - 1 : -1;
  if (index >= 0 && index < options.length) return options[index];
  return options.find((o) => foldVietnamese(stripEmoji(o.label)) === folded || (o.aliases ?? []).some((a) => foldVietnamese(a) === folded));
}

function stripEmoji(label: string): string {
  return label.replace(/^[^\p{L}\p{N}]+/u, '');
}

export function rows(buttons: Button[], columns: number): Button[][] {
  const out: Button[][] = [];
  for (let i = 0; i < buttons.length; i += columns) out.push(buttons.slice(i, i + columns));
  return out;
}
