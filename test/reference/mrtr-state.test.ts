import { describe, expect, it } from 'vitest';
import { issueState, verifyState } from '../../reference/modern/mrtr.js';

describe('MRTR requestState', () => {
  const params = { name: 'elicit-form', arguments: { message: 'hi' } };

  it('verifies for the same request and caller, and for nobody else (M-PAT-006/007/008)', () => {
    const state = issueState('tools/call', params, 'alice', 0);
    expect(() => verifyState(state, 'tools/call', params, 'alice')).not.toThrow();
    expect(() => verifyState(state, 'tools/call', params, 'bob')).toThrow(expect.objectContaining({ code: -32602 }));
    expect(() => verifyState(state, 'tools/call', { ...params, arguments: { message: 'other' } }, 'alice')).toThrow(/different request/);
    expect(() => verifyState(state, 'prompts/get', params, 'alice')).toThrow(/different request/);
    expect(() => verifyState(`${state}x`, 'tools/call', params, 'alice')).toThrow(/verification|malformed/);
    expect(() => verifyState(42, 'tools/call', params, 'alice')).toThrow(/string/);
  });
});
