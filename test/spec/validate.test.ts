import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { definitionNames } from '../../spec/schemas.js';
import { ajvFor, hasDefinition, validate, validatorFor, type ValidationResult } from '../../spec/validate.js';
import { PROTOCOL_VERSIONS, schemaDialect, type ProtocolVersion } from '../../spec/versions.js';

const HANDSHAKE_VERSIONS = PROTOCOL_VERSIONS.filter((v) => v !== '2026-07-28');

function initializeRequest(version: ProtocolVersion): unknown {
  return {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: version,
      capabilities: { roots: { listChanged: true }, sampling: {} },
      clientInfo: { name: 'mcpcert-test', version: '0.1.0' },
    },
  };
}

function initializeResult(version: ProtocolVersion): Record<string, unknown> {
  return {
    protocolVersion: version,
    capabilities: { tools: { listChanged: true }, resources: { subscribe: true }, logging: {} },
    serverInfo: { name: 'reference', version: '1.2.3' },
    instructions: 'Call echo.',
  };
}

const toolsCall = { jsonrpc: '2.0', id: 'call-7', method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } };
const callToolResult = { content: [{ type: 'text', text: 'hi' }], isError: false };

/** 2026-07-28 requests carry the version and client capabilities in every `_meta`. */
const modernMeta = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': { sampling: {} },
  'io.modelcontextprotocol/clientInfo': { name: 'mcpcert-test', version: '0.1.0' },
};

function expectOk(result: ValidationResult): void {
  expect(result.ok ? 'ok' : result.summary).toBe('ok');
}

function expectFailure(result: ValidationResult): Extract<ValidationResult, { ok: false }> {
  if (result.ok) throw new Error('expected the value to be rejected, but it was accepted');
  return result;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('schema compilation', () => {
  it('compiles every definition of every version without a warning from Ajv', async () => {
    vi.resetModules();
    const warn = vi.spyOn(console, 'warn');
    const log = vi.spyOn(console, 'log');
    const error = vi.spyOn(console, 'error');
    const fresh = await import('../../spec/validate.js');
    let compiled = 0;
    for (const v of PROTOCOL_VERSIONS) {
      for (const name of definitionNames(v)) {
        expect(typeof fresh.validatorFor(v, name)).toBe('function');
        compiled++;
      }
    }
    expect(compiled).toBe(79 + 83 + 91 + 145 + 155);
    expect(warn).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });

  it('uses the draft-07 Ajv up to 2025-06-18 and Ajv2020 from 2025-11-25', () => {
    for (const v of PROTOCOL_VERSIONS) {
      const ajv = ajvFor(v);
      if (schemaDialect(v) === 'draft-07') {
        expect(ajv).toBeInstanceOf(Ajv);
        expect(ajv).not.toBeInstanceOf(Ajv2020);
      } else {
        expect(ajv).toBeInstanceOf(Ajv2020);
      }
    }
    expect(PROTOCOL_VERSIONS.map(schemaDialect)).toEqual(['draft-07', 'draft-07', 'draft-07', '2020-12', '2020-12']);
  });

  it('creates one Ajv per version and compiles each definition once', () => {
    expect(ajvFor('2025-11-25')).toBe(ajvFor('2025-11-25'));
    expect(ajvFor('2025-11-25')).not.toBe(ajvFor('2026-07-28'));
    expect(validatorFor('2024-11-05', 'JSONRPCMessage')).toBe(validatorFor('2024-11-05', 'JSONRPCMessage'));
  });

  it('knows a definition only in the versions whose schema has it', () => {
    const has = (name: string): boolean[] => PROTOCOL_VERSIONS.map((v) => hasDefinition(v, name));
    // Tasks are core in 2025-11-25 only (2026-07-28 moved them to an extension).
    expect(has('Task')).toEqual([false, false, false, true, false]);
    expect(has('CreateTaskResult')).toEqual([false, false, false, true, false]);
    expect(has('JSONRPCBatchRequest')).toEqual([false, true, false, false, false]);
    expect(has('ElicitRequest')).toEqual([false, false, true, true, true]);
    expect(has('DiscoverRequest')).toEqual([false, false, false, false, true]);
    expect(has('InitializeRequest')).toEqual([true, true, true, true, false]);
    expect(has('toString')).toEqual([false, false, false, false, false]);
  });

  it('throws an Error naming the definition and version for an unknown definition', () => {
    expect(() => validate('2025-11-25', 'NoSuchType', {})).toThrow(/2025-11-25 .*"NoSuchType"/);
    expect(() => validate('2026-07-28', 'InitializeRequest', {})).toThrow(Error);
  });
});

describe.each(HANDSHAKE_VERSIONS)('valid messages of %s', (version) => {
  it('accepts an initialize request as InitializeRequest, ClientRequest and JSONRPCMessage', () => {
    for (const def of ['InitializeRequest', 'ClientRequest', 'JSONRPCMessage']) {
      expectOk(validate(version, def, initializeRequest(version)));
    }
  });

  it('accepts an InitializeResult', () => {
    expectOk(validate(version, 'InitializeResult', initializeResult(version)));
    expectOk(validate(version, 'ServerResult', initializeResult(version)));
  });

  it('accepts a tools/call request and a CallToolResult', () => {
    expectOk(validate(version, 'CallToolRequest', toolsCall));
    expectOk(validate(version, 'ClientRequest', toolsCall));
    expectOk(validate(version, 'JSONRPCMessage', toolsCall));
    expectOk(validate(version, 'CallToolResult', callToolResult));
  });

  it('accepts a result response carrying the CallToolResult', () => {
    expectOk(validate(version, 'JSONRPCMessage', { jsonrpc: '2.0', id: 'call-7', result: callToolResult }));
  });
});

describe('valid messages of 2026-07-28', () => {
  const version = '2026-07-28';

  it('accepts a server/discover request with the required _meta', () => {
    const discover = { jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: modernMeta } };
    for (const def of ['DiscoverRequest', 'ClientRequest', 'JSONRPCMessage']) expectOk(validate(version, def, discover));
  });

  it('accepts a DiscoverResult with resultType', () => {
    const result = {
      resultType: 'complete',
      supportedVersions: ['2026-07-28'],
      capabilities: { tools: { listChanged: true } },
      ttlMs: 60_000,
      cacheScope: 'public',
      _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'reference', version: '1.2.3' } },
    };
    expectOk(validate(version, 'DiscoverResult', result));
    expectOk(validate(version, 'ServerResult', result));
  });

  it('accepts a tools/call request with _meta and a CallToolResult with resultType', () => {
    const call = { ...toolsCall, params: { ...toolsCall.params, _meta: modernMeta } };
    expectOk(validate(version, 'CallToolRequest', call));
    expectOk(validate(version, 'ClientRequest', call));
    expectOk(validate(version, 'CallToolResult', { ...callToolResult, resultType: 'complete' }));
  });

  it('accepts an InputRequiredResult asking for an elicitation', () => {
    const result = {
      resultType: 'input_required',
      inputRequests: {
        confirm: {
          method: 'elicitation/create',
          params: { mode: 'form', message: 'Proceed?', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } } },
        },
      },
      requestState: 'opaque-1',
    };
    expectOk(validate(version, 'InputRequiredResult', result));
  });
});

describe('rejections with readable paths', () => {
  it('reports a missing serverInfo.name at a path containing serverInfo', () => {
    for (const version of HANDSHAKE_VERSIONS) {
      const result = initializeResult(version);
      const failure = expectFailure(validate(version, 'InitializeResult', { ...result, serverInfo: { version: '1' } }));
      expect(failure.errors).toEqual([{ path: '/serverInfo', message: "must have required property 'name'", keyword: 'required' }]);
      expect(failure.summary).toBe("/serverInfo must have required property 'name'");
    }
  });

  it('reports only the errors of the request type named by method, not of every union member', () => {
    const failure = expectFailure(validate('2025-11-25', 'ClientRequest', { ...toolsCall, params: { arguments: {} } }));
    expect(failure.errors).toEqual([{ path: '/params', message: "must have required property 'name'", keyword: 'required' }]);
  });

  it('reports a missing params of a request whose method is known, not the other methods', () => {
    const failure = expectFailure(validate('2025-06-18', 'ClientRequest', { jsonrpc: '2.0', id: 1, method: 'tools/call' }));
    expect(failure.summary).toBe("(root) must have required property 'params'");
  });

  it('lists the allowed methods when the method matches no request type', () => {
    const failure = expectFailure(validate('2025-11-25', 'ClientRequest', { ...toolsCall, method: 'tools/cal' }));
    expect(failure.errors).toHaveLength(1);
    expect(failure.errors[0]?.path).toBe('/method');
    expect(failure.errors[0]?.message).toMatch(/^must be one of "initialize", "ping", .*\(17 allowed values\)$/);
  });

  it('reports a wrong jsonrpc version against JSONRPCMessage at /jsonrpc', () => {
    for (const version of PROTOCOL_VERSIONS) {
      const failure = expectFailure(validate(version, 'JSONRPCMessage', { jsonrpc: '1.0', id: 1, method: 'ping' }));
      expect(failure.errors).toEqual([{ path: '/jsonrpc', message: 'must be equal to "2.0"', keyword: 'const' }]);
    }
  });

  it('narrows a content block by its type and reports the deepest issues first', () => {
    const failure = expectFailure(
      validate('2025-11-25', 'CallToolResult', { content: [{ type: 'text' }, { type: 'image', data: 'aGk=', mimeType: 3 }, { type: 'video' }] }),
    );
    expect(failure.errors).toEqual([
      { path: '/content/1/mimeType', message: 'must be string', keyword: 'type' },
      { path: '/content/2/type', message: 'must be one of "text", "image", "audio", "resource_link", "resource"', keyword: 'const' },
      { path: '/content/0', message: "must have required property 'text'", keyword: 'required' },
    ]);
  });

  it('reports a 2026-07-28 request without _meta and a _meta without the required keys', () => {
    const noMeta = expectFailure(validate('2026-07-28', 'ClientRequest', { jsonrpc: '2.0', id: 1, method: 'server/discover', params: {} }));
    expect(noMeta.summary).toBe("/params must have required property '_meta'");
    // JSONRPCMessage checks only the envelope; the request type is what requires the _meta.
    expectOk(validate('2026-07-28', 'JSONRPCMessage', { ...toolsCall, params: { name: 'echo' } }));
  });

  it('reports a missing resultType of a 2026-07-28 result', () => {
    const failure = expectFailure(validate('2026-07-28', 'CallToolResult', callToolResult));
    expect(failure.summary).toBe("(root) must have required property 'resultType'");
  });

  it('escapes "/" in a missing _meta key of a 2026-07-28 request', () => {
    const call = { ...toolsCall, params: { name: 'echo', _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } } };
    const failure = expectFailure(validate('2026-07-28', 'CallToolRequest', call));
    expect(failure.errors).toEqual([
      { path: '/params/_meta', message: "must have required property 'io.modelcontextprotocol/clientCapabilities'", keyword: 'required' },
    ]);
  });

  it('reports a non-integer error code at /error/code', () => {
    const failure = expectFailure(validate('2025-11-25', 'JSONRPCErrorResponse', { jsonrpc: '2.0', id: 1, error: { code: 'x', message: 'm' } }));
    expect(failure.errors).toEqual([{ path: '/error/code', message: 'must be integer', keyword: 'type' }]);
  });

  it('keeps the summary to three issues and counts the rest', () => {
    const failure = expectFailure(
      validate('2025-11-25', 'Tool', { name: 1, title: 2, description: 3, inputSchema: { type: 'object' }, icons: 'x' }),
    );
    expect(failure.errors.length).toBeGreaterThan(3);
    expect(failure.summary).toMatch(/; and \d+ more$/);
    expect(failure.summary.split('; ')).toHaveLength(4);
  });

  it('rejects values that are not objects without throwing', () => {
    for (const value of ['hello', 42, null, true, [], undefined]) {
      const failure = expectFailure(validate('2025-11-25', 'InitializeResult', value));
      expect(failure.errors[0]?.path).toBe('');
      expect(failure.summary).toBe('(root) must be object');
    }
  });

  it('explains an invalid batch member of 2025-03-26 at its index', () => {
    const failure = expectFailure(validate('2025-03-26', 'JSONRPCMessage', [{ jsonrpc: '2.0', id: 1, method: 7 }]));
    expect(failure.errors.some((e) => e.path === '/0/method' && e.message === 'must be string')).toBe(true);
  });
});
