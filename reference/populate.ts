/** The reference server's default contents: its own features and the official suite's fixtures. */
import type { Registry } from './registry.js';

export function populateDefault(_registry: Registry): void {}
