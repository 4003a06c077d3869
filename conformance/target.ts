/**
 * TARGET strings (DESIGN.md "Command line"): how to reach the server under test. Parsing is
 * pure; nothing is contacted here.
 */
import type { TransportName } from '../reports/model.js';
import { TargetSyntaxError } from './errors.js';

export interface StdioTarget {
  kind: 'stdio';
  command: string;
  args: string[];
}

export interface NetworkTarget {
  kind: Exclude<TransportName, 'stdio'>;
  /** The URL the transport client takes (`sse+http://…` keeps its prefix). */
  url: string;
  /** Extra HTTP headers (`--header`); they apply to http, sse and ws. */
  headers: Record<string, string>;
  /**
   * A bearer token the target's own authorization server issued for another resource
   * (`--foreign-token`): the only black-box way to see whether the target checks the audience.
   */
  foreignToken?: string;
}

export type Target = StdioTarget | NetworkTarget;

const NETWORK_SCHEMES: Readonly<Record<string, NetworkTarget['kind']>> = {
  'http:': 'http',
  'https:': 'http',
  'sse+http:': 'sse',
  'sse+https:': 'sse',
  'ws:': 'ws',
  'wss:': 'ws',
  'tcp:': 'tcp',
};

const FORMS = 'stdio:COMMAND ARGS…, http(s)://HOST:PORT/PATH, sse+http(s)://HOST:PORT/PATH, ws(s)://HOST:PORT/PATH or tcp://HOST:PORT';

/**
 * Splits a command line the way a POSIX shell splits words, without expansion: whitespace
 * separates, single quotes are literal, double quotes and backslashes escape.
 * @throws TargetSyntaxError on an unterminated quote.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new TargetSyntaxError(`unterminated ' in the stdio command: ${line}`);
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1]!)) j++;
        word += line[j]!;
      }
      if (j >= line.length) throw new TargetSyntaxError(`unterminated " in the stdio command: ${line}`);
      i = j;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i]!;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * Parses `Name: value` (`--header`).
 * @throws TargetSyntaxError when there is no colon, the name is not an HTTP token, or the value holds CR/LF.
 */
export function parseHeader(text: string): [name: string, value: string] {
  const colon = text.indexOf(':');
  const name = colon < 0 ? '' : text.slice(0, colon).trim();
  const value = colon < 0 ? '' : text.slice(colon + 1).trim();
  if (colon < 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new TargetSyntaxError(`--header must look like 'Name: value' (got ${JSON.stringify(text)})`);
  if (/[\r\n\0]/.test(value)) throw new TargetSyntaxError(`--header ${name}: the value must not contain CR, LF or NUL`);
  return [name, value];
}

export function stdioTarget(command: string, args: readonly string[] = []): StdioTarget {
  if (command.trim() === '') throw new TargetSyntaxError('a stdio target needs a command: stdio:COMMAND ARGS… or --stdio -- COMMAND ARGS…');
  return { kind: 'stdio', command, args: [...args] };
}

/**
 * Parses one TARGET. `extraArgs` are further command-line words after a `stdio:` target
 * (`mcpcert test stdio:node server.js`); they are refused for the other forms.
 * @throws TargetSyntaxError naming the accepted forms.
 */
export function parseTarget(text: string, options: { headers?: Record<string, string>; extraArgs?: readonly string[]; foreignToken?: string } = {}): Target {
  const extra = options.extraArgs ?? [];
  if (text.startsWith('stdio:')) {
    const [command, ...args] = splitCommandLine(text.slice('stdio:'.length));
    return stdioTarget(command ?? '', [...args, ...extra]);
  }
  if (extra.length > 0) throw new TargetSyntaxError(`unexpected arguments after the target ${text}: ${extra.join(' ')} (only a stdio: target takes a command line)`);
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(text)?.[0].toLowerCase();
  const kind = scheme === undefined ? undefined : NETWORK_SCHEMES[scheme];
  if (kind === undefined) throw new TargetSyntaxError(`cannot read the target ${JSON.stringify(text)}; expected ${FORMS}`);
  let url: URL;
  try {
    url = new URL(kind === 'sse' ? text.slice('sse+'.length) : text);
  } catch {
    throw new TargetSyntaxError(`the target ${JSON.stringify(text)} is not a valid URL; expected ${FORMS}`);
  }
  if (url.hostname === '') throw new TargetSyntaxError(`the target ${text} names no host`);
  if (kind === 'tcp') {
    const port = Number(url.port);
    if (url.port === '' || !Number.isInteger(port) || port < 1) throw new TargetSyntaxError(`a TCP target needs a port: tcp://HOST:PORT (got ${text})`);
    if (url.pathname !== '' && url.pathname !== '/') throw new TargetSyntaxError(`a TCP target has no path: tcp://HOST:PORT (got ${text})`);
  }
  return { kind, url: text, headers: { ...(options.headers ?? {}) }, ...(options.foreignToken === undefined ? {} : { foreignToken: options.foreignToken }) };
}

/** The target as a user would write it again (for reports and repro commands). */
export function describeTarget(target: Target): string {
  if (target.kind !== 'stdio') return target.url;
  return `stdio:${[target.command, ...target.args].map(shellQuote).join(' ')}`;
}

/** Quotes a word for a POSIX shell when it needs it. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
