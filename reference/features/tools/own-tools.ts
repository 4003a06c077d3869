/** The reference server's own tools, in listing order (the conformance fixtures are added by the engine). */
import type { Registry } from '../../registry.js';
import type { ToolDefinition } from '../../types.js';
import { addTool, echoTool, failTool } from './basic.js';
import { contentKindsTool } from './content.js';
import { elicitFormTool, elicitUrlTool } from './elicitation.js';
import { toggleTool, touchResourceTool } from './list-changes.js';
import { logTool } from './logging.js';
import { longRunningTool } from './progress.js';
import { listRootsTool } from './roots.js';
import { routedTool } from './routed.js';
import { sampleTool } from './sampling.js';
import { sampleWithToolsTool } from './sampling-tools.js';
import { structuredTool } from './structured.js';

/** `registry` is the one the tools change (toggle-tool, touch-resource). */
export function ownTools(registry: Registry): ToolDefinition[] {
  return [
    echoTool,
    addTool,
    contentKindsTool,
    failTool,
    longRunningTool,
    sampleTool,
    sampleWithToolsTool,
    elicitFormTool,
    elicitUrlTool,
    listRootsTool,
    toggleTool(registry),
    touchResourceTool(registry),
    logTool,
    structuredTool,
    routedTool,
  ];
}
