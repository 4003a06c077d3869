import { describe, expect, it } from 'vitest';
import { decodeHeaderValue, headerMismatch } from '../../reference/modern/headers.js';
import type { JsonObject, JsonRpcRequest } from '../../transport/jsonrpc.js';

const META = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
const SCHEMA: JsonObject = {
  type: 'object',
  properties: { region: { type: 'string', 'x-mcp-header': 'Region' }, priority: { type: 'integer', 'x-mcp-header': 'Priority' }, note: { type: 'string' } },
};
const call = (args: JsonObject, name = 'routed'): JsonRpcRequest => ({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args, _meta: META } });
const base = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'routed' };
const check = (headers: Record<string, string>, req: JsonRpcRequest) => headerMismatch(headers, req, (n) => (n === 'routed' ? SCHEMA : undefined));

describe('2026-07-28 mirrored request headers', () => {
  it('decodes the base64 sentinel exactly and refuses malformed or non-UTF-8 values', () => {
    expect(decodeHeaderValue(`=?base64?${Buffer.from('Zürich 🧭').toString('base64')}?=`)).toEqual({ ok: true, value: 'Zürich 🧭' });
    expect(decodeHeaderValue('plain')).toEqual({ ok: true, value: 'plain' });
    expect(decodeHeaderValue('=?base64?***?=').ok).toBe(false);
    expect(decodeHeaderValue(`=?base64?${Buffer.from([0xff, 0xfe]).toString('base64')}?=`).ok).toBe(false);
    expect(decodeHeaderValue('=?BASE64?YQ==?=')).toEqual({ ok: true, value: '=?BASE64?YQ==?=' });
  });

  it('accepts agreeing headers, including a base64 name and a numerically equal integer', () => {
    expect(check({ ...base, 'mcp-param-region': 'eu', 'mcp-param-priority': '3' }, call({ region: 'eu', priority: 3 }))).toBeUndefined();
    expect(check({ ...base, 'mcp-param-region': 'eu', 'mcp-param-priority': '3.0' }, call({ region: 'eu', priority: 3 }))).toBeUndefined();
    const unicode = call({ region: 'eu' }, 'wetter-zürich');
    expect(headerMismatch({ ...base, 'mcp-name': `=?base64?${Buffer.from('wetter-zürich').toString('base64')}?=` }, unicode, () => undefined)).toBeUndefined();
    // A null or absent value has no header and none is expected.
    expect(check(base, call({ region: null as unknown as string }))).toBeUndefined();
  });

  it('names each disagreement', () => {
    expect(check({ ...base, 'mcp-protocol-version': '2025-11-25' }, call({}))).toMatch(/differs/);
    expect(check({ 'mcp-method': 'tools/call', 'mcp-name': 'routed' }, call({}))).toMatch(/MCP-Protocol-Version header is missing/);
    expect(check({ ...base, 'mcp-method': 'tools/list' }, call({}))).toMatch(/Mcp-Method/);
    expect(check({ ...base, 'mcp-name': 'other' }, call({}))).toMatch(/Mcp-Name/);
    expect(check({ 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call' }, call({}))).toMatch(/Mcp-Name header is missing/);
    expect(check(base, call({ region: 'eu' }))).toMatch(/Mcp-Param-Region header is missing/);
    expect(check({ ...base, 'mcp-param-region': 'us' }, call({ region: 'eu' }))).toMatch(/Mcp-Param-Region "us" differs/);
    expect(check({ ...base, 'mcp-param-region': 'eu', 'mcp-param-priority': '4' }, call({ region: 'eu', priority: 3 }))).toMatch(/Priority/);
  });
});
