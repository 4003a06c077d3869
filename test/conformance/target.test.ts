import { describe, expect, it } from 'vitest';
import { TargetSyntaxError } from '../../conformance/errors.js';
import { describeTarget, parseHeader, parseTarget, splitCommandLine } from '../../conformance/target.js';

describe('TARGET parsing', () => {
  it('reads every network form with its transport', () => {
    expect(parseTarget('http://127.0.0.1:4000/mcp')).toEqual({ kind: 'http', url: 'http://127.0.0.1:4000/mcp', headers: {} });
    expect(parseTarget('https://example.com/mcp').kind).toBe('http');
    expect(parseTarget('sse+http://127.0.0.1:4001/sse')).toEqual({ kind: 'sse', url: 'sse+http://127.0.0.1:4001/sse', headers: {} });
    expect(parseTarget('sse+https://example.com/sse').kind).toBe('sse');
    expect(parseTarget('ws://127.0.0.1:4002/mcp').kind).toBe('ws');
    expect(parseTarget('wss://example.com/mcp').kind).toBe('ws');
    expect(parseTarget('tcp://127.0.0.1:4003')).toEqual({ kind: 'tcp', url: 'tcp://127.0.0.1:4003', headers: {} });
  });

  it('keeps --header values for the target', () => {
    expect(parseTarget('http://h:1/mcp', { headers: { Authorization: 'Bearer x' } })).toEqual({ kind: 'http', url: 'http://h:1/mcp', headers: { Authorization: 'Bearer x' } });
  });

  it('splits a stdio command line like a shell, and appends further words', () => {
    expect(parseTarget(`stdio:node "my server.js" --flag 'a b' c\\ d`)).toEqual({ kind: 'stdio', command: 'node', args: ['my server.js', '--flag', 'a b', 'c d'] });
    expect(parseTarget('stdio:node', { extraArgs: ['server.js', '--x'] })).toEqual({ kind: 'stdio', command: 'node', args: ['server.js', '--x'] });
    expect(splitCommandLine(`a "b \\"c\\"" ''`)).toEqual(['a', 'b "c"', '']);
  });

  it('writes a stdio target back so that it parses to the same thing', () => {
    const target = parseTarget(`stdio:node "my server.js" --flag`);
    expect(parseTarget(describeTarget(target))).toEqual(target);
  });

  it.each([
    ['ftp://example.com', /cannot read the target/],
    ['example.com:80', /cannot read the target/],
    ['localhost', /cannot read the target/],
    ['tcp://127.0.0.1', /needs a port/],
    ['tcp://127.0.0.1:80/path', /has no path/],
    ['http://', /not a valid URL|names no host/],
    ['stdio:', /needs a command/],
    ['stdio:node "unterminated', /unterminated "/],
  ])('refuses %s with a message naming the accepted forms or the problem', (text, message) => {
    expect(() => parseTarget(text)).toThrow(TargetSyntaxError);
    expect(() => parseTarget(text)).toThrow(message);
  });

  it('refuses extra words after a non-stdio target', () => {
    expect(() => parseTarget('http://h:1/mcp', { extraArgs: ['x'] })).toThrow(/unexpected arguments/);
  });

  it('parses headers as Name: value and refuses malformed ones', () => {
    expect(parseHeader('Authorization: Bearer abc:def')).toEqual(['Authorization', 'Bearer abc:def']);
    expect(parseHeader('X-Empty:')).toEqual(['X-Empty', '']);
    expect(() => parseHeader('no colon')).toThrow(/Name: value/);
    expect(() => parseHeader('Bad Name: v')).toThrow(/Name: value/);
    expect(() => parseHeader('X: a\r\nInjected: b')).toThrow(/CR, LF/);
  });
});
