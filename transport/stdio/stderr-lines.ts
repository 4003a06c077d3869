/**
 * Splits a child's stderr into lines for the `log` event. Unlike message framing this is
 * lossy on purpose: stderr is free text, so an overlong line is cut, never an error.
 */
export class StderrLines {
  readonly #decoder = new TextDecoder('utf-8');
  readonly #maxLine: number;
  #partial = '';

  constructor(maxLine = 64 * 1024) {
    this.#maxLine = maxLine;
  }

  push(chunk: Buffer): string[] {
    const text = this.#partial + this.#decoder.decode(chunk, { stream: true });
    const lines = text.split(/\r?\n/);
    this.#partial = lines.pop() ?? '';
    if (this.#partial.length > this.#maxLine) {
      lines.push(`${this.#partial.slice(0, this.#maxLine)}…`);
      this.#partial = '';
    }
    return lines;
  }

  end(): string[] {
    const rest = this.#partial + this.#decoder.decode();
    this.#partial = '';
    return rest === '' ? [] : [rest];
  }
}
