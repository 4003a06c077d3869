/**
 * Conformance fixtures that ask the user something through the client (elicitation/create):
 * scenarios tools-call-elicitation, elicitation-sep1034-defaults and elicitation-sep1330-enums of
 * @modelcontextprotocol/conformance 0.1.16. Field names, defaults and enum shapes are exactly
 * what those scenarios inspect in the request.
 */
import type { JsonObject } from '../../../transport/jsonrpc.js';
import { atLeast, hasCapability, declinesWithout } from '../../capabilities.js';
import type { RequestContext, ToolDefinition } from '../../types.js';
import { askClient } from './ask-client.js';
import { noArguments } from './content-tools.js';
import { elicitedContentIssues } from './elicited-content.js';
import { errorResult, textResult } from './result.js';

/**
 * Whether the client accepts form-mode elicitation (LIFE-016, ELIC-006): 2025-06-18 knows only
 * forms; from 2025-11-25 `elicitation: {}` means form only, otherwise the `form` sub-capability
 * must be there.
 */
export function supportsFormElicitation(ctx: RequestContext): boolean {
  const declared = ctx.clientCapabilities.elicitation;
  if (typeof declared !== 'object' || declared === null || Array.isArray(declared)) return false;
  if (!atLeast(ctx.version, '2025-11-25')) return true;
  return Object.keys(declared).length === 0 || hasCapability(ctx.clientCapabilities, 'elicitation.form');
}

/** The params of a form-mode elicitation/create for this version (`mode` exists from 2025-11-25). */
export function formRequest(ctx: RequestContext, message: string, requestedSchema: JsonObject): JsonObject {
  const params: JsonObject = { message, requestedSchema };
  return atLeast(ctx.version, '2025-11-25') ? { mode: 'form', ...params } : params;
}

/** Runs one form elicitation and reports its outcome as `<prefix> action=…, content=…`. */
async function elicit(ctx: RequestContext, tool: string, message: string, requestedSchema: JsonObject, prefix: string): Promise<JsonObject> {
  if (declinesWithout(ctx.version, supportsFormElicitation(ctx))) {
    return errorResult(ctx, `${tool} needs form-mode elicitation, and the client did not declare it in its elicitation capability`);
  }
  const answer = await askClient(ctx, 'elicitation/create', formRequest(ctx, message, requestedSchema), 'ElicitResult');
  if (!answer.ok) return errorResult(ctx, `Elicitation failed: ${answer.reason}`);
  const { action, content } = answer.result;
  const fields = typeof content === 'object' && content !== null && !Array.isArray(content) ? content : {};
  if (action === 'accept') {
    const issues = elicitedContentIssues(requestedSchema, fields);
    if (issues.length > 0) return errorResult(ctx, `The accepted elicitation content does not match the requested schema: ${issues.join('; ')}`);
  }
  return textResult(ctx, `${prefix} action=${String(action)}, content=${JSON.stringify(fields)}`);
}

/** tools-call-elicitation: the documented request asks for a username and an email. */
export function userInfoSchema(): JsonObject {
  return {
    type: 'object',
    properties: {
      username: { type: 'string', description: "User's response" },
      email: { type: 'string', description: "User's email address" },
    },
    required: ['username', 'email'],
  };
}

/** elicitation-sep1034-defaults: a default for every primitive type (SEP-1034, 2025-11-25). */
export function defaultsSchema(): JsonObject {
  return {
    type: 'object',
    properties: {
      name: { type: 'string', description: 'User name', default: 'John Doe' },
      age: { type: 'integer', description: 'User age', default: 30 },
      score: { type: 'number', description: 'User score', default: 95.5 },
      status: { type: 'string', description: 'User status', enum: ['active', 'inactive', 'pending'], default: 'active' },
      verified: { type: 'boolean', description: 'Verification status', default: true },
    },
  };
}

/** elicitation-sep1330-enums: the five enum shapes of SEP-1330 (2025-11-25). */
export function enumsSchema(): JsonObject {
  const titled = (prefix: string, word: string) =>
    ['First', 'Second', 'Third'].map((ordinal, i) => ({ const: `${prefix}${i + 1}`, title: `${ordinal} ${word}` }));
  return {
    type: 'object',
    properties: {
      untitledSingle: { type: 'string', description: 'Pick one option', enum: ['option1', 'option2', 'option3'] },
      titledSingle: { type: 'string', description: 'Pick one titled option', oneOf: titled('value', 'Option') },
      legacyEnum: {
        type: 'string',
        description: 'Pick one option (legacy enumNames form)',
        enum: ['opt1', 'opt2', 'opt3'],
        enumNames: ['Option One', 'Option Two', 'Option Three'],
      },
      untitledMulti: {
        type: 'array',
        description: 'Pick any options',
        minItems: 1,
        maxItems: 3,
        items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
      },
      titledMulti: {
        type: 'array',
        description: 'Pick any titled options',
        minItems: 1,
        maxItems: 3,
        items: { anyOf: titled('value', 'Choice') },
      },
    },
  };
}

export function elicitationTools(): ToolDefinition[] {
  return [
    {
      name: 'test_elicitation',
      description: 'Asks the user, through the client, for a username and email (elicitation/create) and returns the answer (conformance scenario tools-call-elicitation).',
      inputSchema: {
        type: 'object',
        properties: { message: { type: 'string', description: 'The message to show the user' } },
        required: ['message'],
      },
      since: '2025-06-18',
      call: (args, ctx) => elicit(ctx, 'test_elicitation', String(args.message), userInfoSchema(), 'User response:'),
    },
    {
      name: 'test_elicitation_sep1034_defaults',
      description: 'Asks for a form whose string, integer, number, enum and boolean fields all carry defaults (conformance scenario elicitation-sep1034-defaults).',
      inputSchema: noArguments(),
      since: '2025-11-25',
      call: (_args, ctx) =>
        elicit(ctx, 'test_elicitation_sep1034_defaults', 'Please review and update the form fields with defaults', defaultsSchema(), 'Elicitation completed:'),
    },
    {
      name: 'test_elicitation_sep1330_enums',
      description: 'Asks for a form using every enum shape: untitled and titled, single and multi select, and legacy enumNames (conformance scenario elicitation-sep1330-enums).',
      inputSchema: noArguments(),
      since: '2025-11-25',
      call: (_args, ctx) => elicit(ctx, 'test_elicitation_sep1330_enums', 'Please select options from the enum fields', enumsSchema(), 'Elicitation completed:'),
    },
  ];
}
