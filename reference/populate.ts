/** The reference server's default contents: its own features and the official suite's fixtures. */
import { conformancePrompts, conformanceResources, conformanceTemplates, conformanceTools } from './features/conformance/index.js';
import { defaultFeatures } from './features/catalog.js';
import type { Registry } from './registry.js';

export function populateDefault(registry: Registry): void {
  const own = defaultFeatures(registry);
  registry.tools.push(...own.tools, ...conformanceTools());
  registry.resources.push(...own.resources, ...conformanceResources());
  registry.templates.push(...own.templates, ...conformanceTemplates());
  registry.prompts.push(...own.prompts, ...conformancePrompts());
}
