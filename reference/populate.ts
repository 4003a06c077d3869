/** The reference server's default contents: its own features and the official suite's fixtures. */
import { defaultFeatures } from './features/catalog.js';
import type { Registry } from './registry.js';

export function populateDefault(registry: Registry): void {
  const own = defaultFeatures(registry);
  for (const tool of own.tools) registry.tools.push(tool);
  for (const resource of own.resources) registry.resources.push(resource);
  for (const template of own.templates) registry.templates.push(template);
  for (const prompt of own.prompts) registry.prompts.push(prompt);
}
