import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { LineFramer, frameLine } from '../../transport/framing/ndjson.js';
import { SseReader, formatSseEvent } from '../../transport/framing/sse.js';

/** Cuts a buffer at the given offsets, as a network would. */
function chunked(buffer: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buffer.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let last = 0;
  for (const p of points) {
    chunks.push(buffer.subarray(last, p));
    last = p;
  }
  chunks.push(buffer.subarray(last));
  return chunks;
}

const texts = fc.array(fc.string({ unit: 'grapheme', minLength: 1 }).map((s) => JSON.stringify({ s })), { minLength: 1, maxLength: 8 });
const cuts = fc.array(fc.nat(), { maxLength: 20 });

describe('newline framing', () => {
  test.prop([texts, cuts])('reassembles any lines cut anywhere, multi-byte characters included', (lines, at) => {
    const framer = new LineFramer();
    const wire = Buffer.concat(lines.map(frameLine));
    const out: string[] = [];
    for (const chunk of chunked(wire, at)) for (const f of framer.push(chunk)) if ('text' in f) out.push(f.text);
    expect(out).toEqual(lines);
    expect(framer.end()).toEqual([]);
  });

  test.prop([fc.uint8Array({ maxLength: 300 }), cuts])('never throws on arbitrary bytes and never holds more than the limit', (bytes, at) => {
    const framer = new LineFramer(64);
    for (const chunk of chunked(Buffer.from(bytes), at)) {
      framer.push(chunk);
      expect(framer.buffered).toBeLessThanOrEqual(64);
    }
    framer.end();
  });

  it('accepts CRLF, reports empty lines, and reports an unterminated tail at end of stream', () => {
    const framer = new LineFramer();
    const frames = framer.push(Buffer.from('{"a":1}\r\n\n{"b":2}\n{"c"'));
    expect(frames.map((f) => ('text' in f ? f.text : f.error.code))).toEqual(['{"a":1}', 'MCPCERT_ERR_EMPTY_FRAME', '{"b":2}']);
    const tail = framer.end();
    expect(tail).toHaveLength(1);
    expect('error' in tail[0]! && tail[0].error.raw).toBe('{"c"');
  });

  it('drops an oversize line once, then resumes at the next newline', () => {
    const framer = new LineFramer(10);
    const a = framer.push(Buffer.from('x'.repeat(25)));
    const b = framer.push(Buffer.from('yyyy\n{"ok":1}\n'));
    expect(a.map((f) => ('error' in f ? f.error.code : f.text))).toEqual(['MCPCERT_ERR_FRAME_TOO_LARGE']);
    expect(b.map((f) => ('error' in f ? f.error.code : f.text))).toEqual(['{"ok":1}']);
  });
});

describe('SSE framing', () => {
  test.prop([texts, cuts])('events written by formatSseEvent come back whole, however the stream is cut', (datas, at) => {
    const reader = new SseReader();
    const wire = Buffer.from(datas.map((data, i) => formatSseEvent({ id: `s-${i}`, event: 'message', data })).join(''), 'utf8');
    const events: Array<{ id?: string; data: string }> = [];
    for (const chunk of chunked(wire, at)) for (const item of reader.push(chunk)) if (item.type === 'event') events.push(item.event);
    expect(events.map((e) => e.data)).toEqual(datas);
    expect(events.map((e) => e.id)).toEqual(datas.map((_, i) => `s-${i}`));
  });

  it('keeps data with newlines intact and reports retry and comments', () => {
    const reader = new SseReader();
    const items = reader.push(Buffer.from(`: keep-alive\n\n${formatSseEvent({ data: 'a\nb', retry: 1500 })}`));
    expect(items).toEqual([
      { type: 'comment', text: 'keep-alive' },
      { type: 'retry', ms: 1500 },
      expect.objectContaining({ type: 'event', event: { data: 'a\nb' } }),
    ]);
  });

  it('reports a complete event over the size limit and reads on', () => {
    const reader = new SseReader(100);
    const items = reader.push(Buffer.from(`data: ${'x'.repeat(150)}\n\ndata: later\n\n`));
    expect(items.map((i) => (i.type === 'error' ? i.error.code : i.type === 'event' ? i.event.data : i.type))).toEqual(['MCPCERT_ERR_FRAME_TOO_LARGE', 'later']);
    expect(reader.failed).toBe(false);
  });

  it('gives up on a stream that grows without an event boundary, holding no more than its limit', () => {
    const reader = new SseReader(100);
    const items = [...reader.push(Buffer.from('data: ')), ...reader.push(Buffer.from('x'.repeat(2000)))];
    expect(items.some((i) => i.type === 'error' && i.error.code === 'MCPCERT_ERR_FRAME_TOO_LARGE')).toBe(true);
    expect(reader.failed).toBe(true);
    expect(reader.push(Buffer.from('\n\ndata: later\n\n'))).toEqual([]);
  });
});
