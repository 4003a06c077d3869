/**
 * A collection of 120 small resources, `mcpcert://items/1` … `mcpcert://items/120`: more than
 * two pages at the engine's page size of 50, so `resources/list` pagination has three pages
 * to walk, and the same items are reachable through the `mcpcert://items/{n}` template.
 */
import type { JsonObject } from '../../../transport/jsonrpc.js';
import type { ResourceDefinition, ResourceTemplateDefinition } from '../../types.js';
import { prefixMatches } from './complete.js';
import { pngIcon } from './media.js';

export const ITEM_COUNT = 120;
export const ITEM_TEMPLATE = 'mcpcert://items/{n}';

const ICON = pngIcon([120, 80, 180]);

export function itemUri(n: number): string {
  return `mcpcert://items/${n}`;
}

function itemText(n: number): string {
  return `Item ${n} of ${ITEM_COUNT}.\n`;
}

function itemContents(n: number): JsonObject[] {
  return [{ uri: itemUri(n), mimeType: 'text/plain', text: itemText(n) }];
}

/**
 * The item number a URI names, or undefined. Only the canonical spelling counts (no sign, no
 * leading zero), so one item never has two URIs.
 */
export function itemNumber(uri: string): number | undefined {
  const match = /^mcpcert:\/\/items\/([1-9][0-9]{0,3})$/.exec(uri);
  if (match === null) return undefined;
  const n = Number(match[1]);
  return n <= ITEM_COUNT ? n : undefined;
}

export function itemResources(): ResourceDefinition[] {
  const items: ResourceDefinition[] = [];
  for (let n = 1; n <= ITEM_COUNT; n++) {
    const item: ResourceDefinition = {
      uri: itemUri(n),
      name: `item-${n}`,
      title: `Item ${n}`,
      mimeType: 'text/plain',
      size: Buffer.byteLength(itemText(n)),
      read: () => itemContents(n),
    };
    // Priorities on every tenth item only: lists mix annotated and plain entries, as real servers do.
    if (n % 10 === 0) item.annotations = { priority: n / ITEM_COUNT };
    items.push(item);
  }
  return items;
}

export function itemTemplate(): ResourceTemplateDefinition {
  return {
    uriTemplate: ITEM_TEMPLATE,
    name: 'item',
    title: 'Item by number',
    description: `One of the ${ITEM_COUNT} items, n from 1 to ${ITEM_COUNT}.`,
    mimeType: 'text/plain',
    icons: [ICON],
    read(uri) {
      const n = itemNumber(uri);
      return n === undefined ? undefined : itemContents(n);
    },
    complete(variable, value) {
      if (variable !== 'n') return [];
      const numbers = Array.from({ length: ITEM_COUNT }, (_, i) => String(i + 1));
      return prefixMatches(numbers, value);
    },
  };
}
