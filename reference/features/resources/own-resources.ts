/** The reference server's own resources (the conformance fixtures are added by the engine). */
import type { Registry } from '../../registry.js';
import type { ResourceDefinition } from '../../types.js';
import { counterResource } from './counter.js';
import { itemResources } from './items.js';
import { helloResource, infoResource, pngResource } from './static.js';

/** Fresh definitions (and a fresh counter) bound to `registry`, in listing order. */
export function ownResources(registry: Registry): ResourceDefinition[] {
  return [helloResource(), infoResource(), pngResource(), counterResource(registry), ...itemResources()];
}
