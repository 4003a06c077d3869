/** The fixtures of @modelcontextprotocol/conformance's server scenarios, in one import for the engine. */
export { conformanceTools, CONFORMANCE_SUITE_VERSION } from './tools.js';
export { conformanceResources, conformanceTemplates } from './resources.js';
export { conformancePrompts } from './prompts.js';
