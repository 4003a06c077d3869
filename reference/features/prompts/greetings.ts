/** `simple` (no arguments) and `greet` (a required and an optional argument, both completable). */
import type { JsonObject } from '../../../transport/jsonrpc.js';
import { invalidParams } from '../../errors.js';
import type { PromptDefinition } from '../../types.js';
import { prefixMatches } from '../resources/complete.js';
import { SAMPLE_NAMES } from '../resources/greeting.js';
import { pngIcon } from '../resources/media.js';
import { completeResult } from '../tools/result.js';

const ICON = pngIcon([200, 90, 90]);

export const GREETING_STYLES = ['formal', 'casual'] as const;

const MAX_NAME_LENGTH = 100;

export function simplePrompt(): PromptDefinition {
  return {
    name: 'simple',
    title: 'Simple prompt',
    description: 'A prompt without arguments: one user message.',
    icons: [ICON],
    get: (_args, ctx) =>
      completeResult(ctx, {
        description: 'A prompt without arguments',
        messages: [{ role: 'user', content: { type: 'text', text: 'Say hello to the mcpcert reference server in one sentence.' } }],
      }),
  };
}

/** PROMPT-007: arguments are checked before use; bad ones are -32602 (PROMPT-006). */
function nameArgument(args: Record<string, string>): string {
  const name = args.name;
  if (name === undefined || name.trim() === '') throw invalidParams('Missing required argument: name', { argument: 'name' });
  if (name.length > MAX_NAME_LENGTH || /\p{Cc}/u.test(name)) {
    throw invalidParams(`Argument name must be at most ${MAX_NAME_LENGTH} characters without control characters`, { argument: 'name' });
  }
  return name;
}

function styleArgument(args: Record<string, string>): (typeof GREETING_STYLES)[number] {
  const style = args.style;
  if (style === undefined) return 'casual';
  const found = GREETING_STYLES.find((s) => s === style);
  if (found === undefined) throw invalidParams(`Argument style must be one of ${GREETING_STYLES.join(', ')}`, { argument: 'style', value: style });
  return found;
}

export function greetPrompt(): PromptDefinition {
  return {
    name: 'greet',
    title: 'Greet someone',
    description: 'Asks the model to greet a person, formally or casually.',
    arguments: [
      { name: 'name', title: 'Name', description: 'Who to greet.', required: true },
      { name: 'style', title: 'Style', description: `One of ${GREETING_STYLES.join(', ')} (default casual).`, required: false },
    ],
    icons: [ICON],
    get(args, ctx) {
      const name = nameArgument(args);
      const style = styleArgument(args);
      const text = style === 'formal' ? `Please write a formal greeting addressed to ${name}.` : `Write a short, friendly hello to ${name}.`;
      const result: JsonObject = {
        description: `A ${style} greeting for ${name}`,
        messages: [{ role: 'user', content: { type: 'text', text } }],
      };
      return completeResult(ctx, result);
    },
    complete(argument, value) {
      if (argument === 'style') return prefixMatches(GREETING_STYLES, value);
      if (argument === 'name') return prefixMatches(SAMPLE_NAMES, value);
      return [];
    },
  };
}
