/** `log`: emits one notifications/message at the requested level. */
import type { ToolDefinition } from '../../types.js';
import { LOG_LEVELS } from '../../types.js';
import { pngIcon } from '../resources/media.js';
import { oneOf, requiredString } from './args.js';
import { defineTool } from './define-tool.js';
import { textResult } from './result.js';

export const LOG_TOOL_LOGGER = 'mcpcert.log-tool';

export const logTool: ToolDefinition = defineTool({
  name: 'log',
  title: 'Emit a log message',
  description:
    'Sends notifications/message with the given level and message (logger "mcpcert.log-tool"), if the level set by the client lets it through.',
  inputSchema: {
    type: 'object',
    properties: {
      level: { type: 'string', enum: [...LOG_LEVELS], description: 'RFC 5424 severity.' },
      message: { type: 'string', description: 'The log text.' },
    },
    required: ['level', 'message'],
    additionalProperties: false,
  },
  annotations: { title: 'Emit a log message', readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  icons: [pngIcon([80, 80, 160])],
  async call(args, ctx) {
    const level = oneOf(args, 'level', LOG_LEVELS);
    const message = requiredString(args, 'message');
    await ctx.log(level, message, LOG_TOOL_LOGGER);
    // Whether the message went out depends on the session's level, which the tool cannot see.
    return textResult(`Logged at level ${level} (sent only if the client's logging level allows it).`);
  },
});
