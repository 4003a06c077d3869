/** The reference server's own prompts, in listing order. */
import type { PromptDefinition } from '../../types.js';
import { greetPrompt, simplePrompt } from './greetings.js';
import { withImagePrompt, withResourcePrompt } from './media.js';

export function ownPrompts(): PromptDefinition[] {
  return [simplePrompt(), greetPrompt(), withResourcePrompt(), withImagePrompt()];
}
