/**
 * `mcpcert://greeting/{lang}/{name}`: a template with two variables, so completion can use the
 * value of one (`context.arguments`, 2025-06-18+) and the URI carries percent-encoded text.
 */
import type { ResourceTemplateDefinition } from '../../types.js';
import { prefixMatches } from './complete.js';
import { pngIcon } from './media.js';

export const GREETING_TEMPLATE = 'mcpcert://greeting/{lang}/{name}';

const GREETINGS: Readonly<Record<string, (name: string) => string>> = {
  en: (name) => `Hello, ${name}!`,
  de: (name) => `Hallo, ${name}!`,
  es: (name) => `¡Hola, ${name}!`,
  fr: (name) => `Bonjour, ${name} !`,
  it: (name) => `Ciao, ${name}!`,
  nl: (name) => `Hallo, ${name}!`,
  pt: (name) => `Olá, ${name}!`,
};

export const GREETING_LANGUAGES: readonly string[] = Object.keys(GREETINGS);

/** Names offered by completion; any other name is accepted when reading. */
export const SAMPLE_NAMES: readonly string[] = ['Ada', 'Alan', 'Barbara', 'Grace', 'Edsger', 'Katherine', 'Linus', 'Margaret'];

const MAX_NAME_LENGTH = 100;

const ICON = pngIcon([220, 60, 120]);

/** The greeting for a URI, or undefined when the URI does not match or names an unknown language. */
export function greetingFor(uri: string): string | undefined {
  const match = /^mcpcert:\/\/greeting\/([a-z]{2})\/([^/?#]+)$/.exec(uri);
  if (match === null) return undefined;
  const greet = GREETINGS[match[1] as string];
  if (greet === undefined) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(match[2] as string);
  } catch {
    // A malformed percent-escape: the URI names nothing (RES-007), it is not a server fault.
    return undefined;
  }
  // Control characters would end up verbatim in the text a model reads.
  if (name.length === 0 || name.length > MAX_NAME_LENGTH || /\p{Cc}/u.test(name)) return undefined;
  return greet(name);
}

export function greetingTemplate(): ResourceTemplateDefinition {
  return {
    uriTemplate: GREETING_TEMPLATE,
    name: 'greeting',
    title: 'Greeting in a language',
    description: `A one-line greeting; lang is one of ${GREETING_LANGUAGES.join(', ')}, name is any percent-encoded text.`,
    mimeType: 'text/plain',
    icons: [ICON],
    read(uri) {
      const text = greetingFor(uri);
      return text === undefined ? undefined : [{ uri, mimeType: 'text/plain', text: `${text}\n` }];
    },
    complete(variable, value) {
      if (variable === 'lang') return prefixMatches(GREETING_LANGUAGES, value);
      if (variable === 'name') return prefixMatches(SAMPLE_NAMES, value);
      return [];
    },
  };
}
