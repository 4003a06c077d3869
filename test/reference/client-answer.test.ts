import { describe, expect, it } from 'vitest';
import { checkClientAnswer } from '../../reference/client-answer.js';

describe('checking what a client answered', () => {
  it('accepts a decimal in elicitation content (schema.ts says number) but nothing else the schema forbids', () => {
    for (const version of ['2025-06-18', '2025-11-25', '2026-07-28'] as const) {
      expect(checkClientAnswer(version, 'ElicitResult', { action: 'accept', content: { score: 95.5, name: 'x' } }).ok, version).toBe(true);
      expect(checkClientAnswer(version, 'ElicitResult', { action: 'accept', content: { nested: { a: 1 } } }).ok, version).toBe(false);
      expect(checkClientAnswer(version, 'ElicitResult', { action: 'maybe' }).ok, version).toBe(false);
    }
    expect(checkClientAnswer('2025-11-25', 'ListRootsResult', { roots: 'nope' }).ok).toBe(false);
  });
});
