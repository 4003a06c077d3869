/**
 * Every tool the server scenarios of @modelcontextprotocol/conformance 0.1.16 call by name.
 * Names are the suite's, not ours: its scenarios look them up literally.
 */
import type { ToolDefinition } from '../../types.js';
import { contentTools } from './content-tools.js';
import { elicitationTools } from './elicitation-tools.js';
import { notifyingTools } from './notifying-tools.js';
import { reconnectionTool } from './reconnection-tool.js';
import { samplingTool } from './sampling-tool.js';
import { schemaTool } from './schema-tool.js';

/** The conformance suite release these fixtures follow. */
export const CONFORMANCE_SUITE_VERSION = '0.1.16';

/** Fresh definitions on every call, so a registry may own and mutate what it gets. */
export function conformanceTools(): ToolDefinition[] {
  return [...contentTools(), ...notifyingTools(), samplingTool(), ...elicitationTools(), schemaTool(), reconnectionTool()];
}
