/**
 * Duplicate object keys in JSON text. JSON.parse keeps the last of them silently, so a rule
 * about unique keys can only be judged on the text as it came off the wire.
 */

export interface DuplicateKey {
  /** Keys and array indices from the root to the object holding the duplicate. */
  path: string[];
  key: string;
}

class Scanner {
  readonly #text: string;
  #at = 0;
  readonly found: DuplicateKey[] = [];

  constructor(text: string) {
    this.#text = text;
  }

  value(path: string[]): void {
    this.#space();
    const c = this.#text[this.#at];
    if (c === '{') this.#object(path);
    else if (c === '[') this.#array(path);
    else if (c === '"') this.#string();
    else this.#literal();
  }

  #object(path: string[]): void {
    this.#at++;
    const keys = new Set<string>();
    this.#space();
    if (this.#text[this.#at] === '}') {
      this.#at++;
      return;
    }
    for (;;) {
      this.#space();
      const key = this.#string();
      if (keys.has(key)) this.found.push({ path, key });
      keys.add(key);
      this.#space();
      this.#at++; // ':'
      this.value([...path, key]);
      this.#space();
      if (this.#text[this.#at++] !== ',') return; // '}'
    }
  }

  #array(path: string[]): void {
    this.#at++;
    this.#space();
    if (this.#text[this.#at] === ']') {
      this.#at++;
      return;
    }
    for (let index = 0; ; index++) {
      this.value([...path, String(index)]);
      this.#space();
      if (this.#text[this.#at++] !== ',') return; // ']'
    }
  }

  /** A string token, decoded (escapes included) by JSON.parse of its own text. */
  #string(): string {
    const start = this.#at;
    this.#at++;
    while (this.#at < this.#text.length && this.#text[this.#at] !== '"') this.#at += this.#text[this.#at] === '\\' ? 2 : 1;
    this.#at++;
    return JSON.parse(this.#text.slice(start, this.#at)) as string;
  }

  /** Numbers, true, false, null: the text was already checked by JSON.parse, so only its end matters. */
  #literal(): void {
    while (this.#at < this.#text.length && !/[\s,\]}]/.test(this.#text[this.#at]!)) this.#at++;
  }

  #space(): void {
    while (this.#at < this.#text.length && /\s/.test(this.#text[this.#at]!)) this.#at++;
  }
}

/** Every repeated key in every object of `text`; undefined when `text` is not JSON. */
export function duplicateKeys(text: string): DuplicateKey[] | undefined {
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  const scanner = new Scanner(text);
  scanner.value([]);
  return scanner.found;
}
