/**
 * A resource whose contents change on demand, so that subscriptions
 * (`notifications/resources/updated`) have something real to report.
 */
import type { Registry } from '../../registry.js';
import type { ResourceDefinition } from '../../types.js';
import type { JsonObject } from '../../../transport/jsonrpc.js';
import { pngIcon } from './media.js';

export const COUNTER_URI = 'mcpcert://counter';

/** A resource that a tool may change; `bump` changes it and tells the registry's subscribers. */
export interface MutableResource extends ResourceDefinition {
  /** Changes the contents; returns the new counter value. */
  bump(): number;
}

export function isMutableResource(resource: ResourceDefinition): resource is MutableResource {
  return typeof (resource as Partial<MutableResource>).bump === 'function';
}

const ICON = pngIcon([200, 120, 40]);

function counterText(count: number): string {
  return `count: ${count}\n`;
}

/** One counter per registry: every session of a server sees, and is notified about, the same value. */
export function counterResource(registry: Registry): MutableResource {
  let count = 0;
  const annotations: JsonObject = { audience: ['user', 'assistant'], priority: 0.2, lastModified: new Date().toISOString() };
  const resource: MutableResource = {
    uri: COUNTER_URI,
    name: 'counter',
    title: 'Counter (changes on touch)',
    description: 'A counter that the touch-resource tool increments; subscribe to it to receive notifications/resources/updated.',
    mimeType: 'text/plain',
    size: Buffer.byteLength(counterText(count)),
    annotations,
    icons: [ICON],
    read: () => [{ uri: COUNTER_URI, mimeType: 'text/plain', text: counterText(count) }],
    bump() {
      count += 1;
      annotations.lastModified = new Date().toISOString();
      resource.size = Buffer.byteLength(counterText(count));
      registry.touch(COUNTER_URI);
      return count;
    },
  };
  return resource;
}
