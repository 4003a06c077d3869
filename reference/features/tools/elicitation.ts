/**
 * `elicit-form` and `elicit-url`: ask the user something through the client
 * (elicitation/create), in the modes the client declared and the version defines.
 */
import { randomUUID } from 'node:crypto';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { atLeast, hasCapability, declinesWithout } from '../../capabilities.js';
import type { ProtocolVersion } from '../../../spec/versions.js';
import type { JsonObject } from '../../../transport/jsonrpc.js';
import type { RequestContext, ToolDefinition } from '../../types.js';
import { pngIcon } from '../resources/media.js';
import { askClient } from './ask-client.js';
import { optionalString } from './args.js';
import { defineTool } from './define-tool.js';
import { errorResult, structuredResult } from './result.js';

/** A person fills the form in, so the wait is long but bounded. */
const ELICITATION_TIMEOUT_MS = 300_000;

const ICON = pngIcon([230, 170, 30]);

const INTERACTIVE = { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: true };

/**
 * Form mode is what 2025-06-18 has. In 2025-11-25+ `elicitation: {}` still means form only,
 * and once modes are listed, form must be among them (ELIC-005, ELIC-006).
 */
export function supportsFormElicitation(ctx: RequestContext): boolean {
  const caps = ctx.clientCapabilities;
  if (!atLeast(ctx.version, '2025-06-18') || !hasCapability(caps, 'elicitation')) return false;
  if (!atLeast(ctx.version, '2025-11-25')) return true;
  return hasCapability(caps, 'elicitation.form') || !hasCapability(caps, 'elicitation.url');
}

export function supportsUrlElicitation(ctx: RequestContext): boolean {
  return atLeast(ctx.version, '2025-11-25') && hasCapability(ctx.clientCapabilities, 'elicitation.url');
}

/**
 * A flat schema of primitives, one of each kind the spec allows; nothing sensitive (ELIC-001).
 * Defaults on strings, numbers and enums exist only from 2025-11-25.
 */
export function formSchema(version: ProtocolVersion): JsonObject {
  const withDefaults = atLeast(version, '2025-11-25');
  const color: JsonObject = { type: 'string', title: 'Favourite colour', enum: ['red', 'green', 'blue'] };
  const age: JsonObject = { type: 'integer', title: 'Age', description: 'In whole years.', minimum: 0, maximum: 150 };
  if (withDefaults) {
    color.default = 'blue';
    age.default = 30;
  }
  return {
    type: 'object',
    properties: {
      email: { type: 'string', title: 'Email address', format: 'email', description: 'Where a confirmation would go.' },
      age,
      subscribe: { type: 'boolean', title: 'Subscribe to updates', default: false },
      color,
    },
    required: ['email'],
  };
}

const contentValidators = new Map<ProtocolVersion, ValidateFunction>();
let formAjv: Ajv2020 | undefined;

/** ELIC-041: the server checks what comes back against what it asked for. */
function contentValidator(version: ProtocolVersion): ValidateFunction {
  let fn = contentValidators.get(version);
  if (fn === undefined) {
    formAjv ??= (() => {
      // The form schema is our own: no meta-schema validation (it compiles the meta-schema).
      const ajv = new Ajv2020({ allErrors: true, validateSchema: false });
      addFormats.default(ajv);
      return ajv;
    })();
    fn = formAjv.compile(formSchema(version));
    contentValidators.set(version, fn);
  }
  return fn;
}

const ELICIT_OUTPUT: JsonObject = {
  type: 'object',
  properties: {
    action: { type: 'string', enum: ['accept', 'decline', 'cancel'] },
    content: {
      type: 'object',
      // anyOf rather than a type list: strict Ajv (as validators of tool schemas often run) rejects union types.
      additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'array', items: { type: 'string' } }] },
    },
    elicitationId: { type: 'string' },
  },
  required: ['action'],
  additionalProperties: false,
};

function actionSummary(action: string): string {
  if (action === 'accept') return 'The user accepted';
  if (action === 'decline') return 'The user declined';
  return 'The user cancelled';
}

export const elicitFormTool: ToolDefinition = defineTool({
  name: 'elicit-form',
  title: 'Ask the user (form)',
  description:
    'Asks the user to fill in a small form (email, age, a yes/no choice, a colour) with elicitation/create in form mode, and reports the action (accept, decline, cancel) and the content. Requires the client to support form elicitation; otherwise it is a tool error and nothing is sent.',
  since: '2025-06-18',
  inputSchema: {
    type: 'object',
    properties: { message: { type: 'string', description: 'What to tell the user.' } },
    additionalProperties: false,
  },
  outputSchema: ELICIT_OUTPUT,
  annotations: { title: 'Ask the user (form)', ...INTERACTIVE },
  icons: [ICON],
  async call(args, ctx) {
    const message = optionalString(args, 'message') ?? 'Please tell us a little about yourself. Only the email address is required.';
    if (declinesWithout(ctx.version, supportsFormElicitation(ctx))) {
      return errorResult(`The client did not declare form elicitation (elicitation${atLeast(ctx.version, '2025-11-25') ? '.form or an empty elicitation object' : ''}), so this server cannot ask the user.`);
    }
    const params: JsonObject = { message, requestedSchema: formSchema(ctx.version) };
    // `mode` is part of the request only since 2025-11-25 (ELIC-009: "form" or absent).
    if (atLeast(ctx.version, '2025-11-25')) params.mode = 'form';
    const answer = await askClient(ctx, 'elicitation/create', params, 'ElicitResult', ELICITATION_TIMEOUT_MS);
    if (!answer.ok) return errorResult(answer.reason);
    const action = String(answer.result.action);
    const value: JsonObject = { action };
    const content = answer.result.content;
    if (action === 'accept' && typeof content === 'object' && content !== null && !Array.isArray(content)) {
      const check = contentValidator(ctx.version);
      if (!check(content)) {
        const problems = (check.errors ?? []).map((e) => `${e.instancePath === '' ? '(root)' : e.instancePath} ${e.message ?? 'is invalid'}`).join('; ');
        return errorResult(`The user accepted, but the content does not match the requested schema: ${problems}`);
      }
      value.content = content;
    }
    return structuredResult(ctx, value, `${actionSummary(action)}.`);
  },
});

const DEFAULT_URL = 'https://example.com/mcpcert/consent';

export const elicitUrlTool: ToolDefinition = defineTool({
  name: 'elicit-url',
  title: 'Ask the user (URL)',
  description:
    'Asks the user to visit a URL with elicitation/create in URL mode and reports the action; after consent it sends notifications/elicitation/complete at once, as nothing is awaited at the URL. Requires the client to have declared elicitation.url; otherwise it is a tool error and nothing is sent.',
  since: '2025-11-25',
  inputSchema: {
    type: 'object',
    properties: { url: { type: 'string', format: 'uri', description: `The http(s) URL to send the user to; default ${DEFAULT_URL}.` } },
    additionalProperties: false,
  },
  outputSchema: ELICIT_OUTPUT,
  annotations: { title: 'Ask the user (URL)', ...INTERACTIVE },
  icons: [ICON],
  async call(args, ctx) {
    const url = optionalString(args, 'url') ?? DEFAULT_URL;
    // ELIC-012 asks for a valid URL; other schemes (javascript:, file:, data:) are refused
    // because the client would hand them to a browser.
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
      return errorResult(`"${url}" is not an http or https URL.`);
    }
    if (declinesWithout(ctx.version, supportsUrlElicitation(ctx))) {
      return errorResult('The client did not declare URL elicitation (elicitation.url), so this server cannot send the user to a URL.');
    }
    const params: JsonObject = { mode: 'url', message: 'Please open this page to continue. Nothing is sent back to this server through it.', url: parsed.href };
    // 2026-07-28 dropped elicitationId together with notifications/elicitation/complete.
    const elicitationId = ctx.version === '2026-07-28' ? undefined : randomUUID();
    if (elicitationId !== undefined) params.elicitationId = elicitationId;
    const answer = await askClient(ctx, 'elicitation/create', params, 'ElicitResult', ELICITATION_TIMEOUT_MS);
    if (!answer.ok) return errorResult(answer.reason);
    const action = String(answer.result.action);
    const value: JsonObject = { action };
    if (elicitationId !== undefined) {
      value.elicitationId = elicitationId;
      // Nothing happens at the URL on this server's side, so the out-of-band step is over as soon
      // as the user consents; announcing it lets clients exercise their handling of the
      // notification. It goes to this session only, the one that was asked (ELIC-014, ELIC-015).
      if (action === 'accept') await ctx.session.notify('notifications/elicitation/complete', { elicitationId });
    }
    // In URL mode accept means consent to open the page, not that anything was done there.
    return structuredResult(ctx, value, `${actionSummary(action)} to open ${parsed.href}.`);
  },
});
