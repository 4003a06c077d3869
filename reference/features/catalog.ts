/**
 * The reference server's own features: what a checker, a load generator or a person learning
 * MCP finds besides the conformance fixtures, which the engine merges in.
 */
import type { Registry } from '../registry.js';
import type { PromptDefinition, ResourceDefinition, ResourceTemplateDefinition, ToolDefinition } from '../types.js';
import { ownPrompts } from './prompts/own-prompts.js';
import { ownResources } from './resources/own-resources.js';
import { ownTemplates } from './resources/own-templates.js';
import { ownTools } from './tools/own-tools.js';

export interface FeatureSet {
  tools: ToolDefinition[];
  resources: ResourceDefinition[];
  templates: ResourceTemplateDefinition[];
  prompts: PromptDefinition[];
}

/**
 * Definitions bound to `registry`: the tools that change state (toggle-tool, touch-resource)
 * change that registry, and a fresh counter resource notifies its subscribers; the stateless
 * tools are shared.
 * Nothing is added to the registry here; the engine does that.
 */
export function defaultFeatures(registry: Registry): FeatureSet {
  return { tools: ownTools(registry), resources: ownResources(registry), templates: ownTemplates(), prompts: ownPrompts() };
}
