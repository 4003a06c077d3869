/**
 * An append-only record that keeps the last `limit` items and counts every one, so that a
 * flooding target cannot exhaust memory and a check can still ask "what arrived since I looked".
 */
export class BoundedLog<T> implements Iterable<T> {
  readonly limit: number;
  #items: T[] = [];
  #total = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  push(item: T): void {
    this.#total += 1;
    this.#items.push(item);
    if (this.#items.length > this.limit) this.#items.shift();
  }

  /** Everything ever pushed, kept or not. */
  get total(): number {
    return this.#total;
  }

  /** A position to pass to `since` later. */
  mark(): number {
    return this.#total;
  }

  /** The items pushed after `mark` that are still kept (the newest, if more arrived than fit). */
  since(mark: number): T[] {
    const count = Math.min(this.#total - mark, this.#items.length);
    return count <= 0 ? [] : this.#items.slice(-count);
  }

  first(): T | undefined {
    return this.#items[0];
  }

  [Symbol.iterator](): Iterator<T> {
    return this.#items[Symbol.iterator]();
  }
}
