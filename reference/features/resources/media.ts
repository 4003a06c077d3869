/**
 * Tiny binary media made in code: a PNG and a WAV that real decoders accept, and the data:
 * URIs used as icons. Generated rather than shipped as files so the reference server has no
 * assets to locate at run time, and icons never point at the network.
 */
import { deflateSync } from 'node:zlib';
import type { Icon } from '../../types.js';

export type Rgb = readonly [number, number, number];

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309) as PNG chunks need it; zlib.crc32 only exists from Node 20.15. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  // The chunk CRC covers the type and the data, not the length.
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A width × height 8-bit RGB PNG whose pixels come from `pixel(x, y)`.
 * Sizes are small by design (icons, sample images); the encoder does no filtering.
 */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgb): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  // bytes 10–12: compression, filter and interlace methods, all 0
  const stride = 1 + width * 3;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    // Each scanline starts with its filter type; 0 (None) keeps the encoder trivial.
    raw[y * stride] = 0;
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      const at = y * stride + 1 + x * 3;
      raw[at] = r;
      raw[at + 1] = g;
      raw[at + 2] = b;
    }
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A mono 16-bit PCM WAV file around the given samples (little-endian Int16 each). */
export function pcm16Wav(data: Buffer, sampleRate: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16); // fmt chunk size for PCM
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/**
 * A mono 16-bit PCM WAV holding a sine tone.
 * @param durationMs length of the tone; @param hz its frequency; @param sampleRate samples per second.
 */
export function encodeWav(durationMs: number, hz: number, sampleRate = 8000): Buffer {
  const samples = Math.round((sampleRate * durationMs) / 1000);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    // A quarter of full scale: audible, never clipping.
    data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * hz * i) / sampleRate) * 8191), i * 2);
  }
  return pcm16Wav(data, sampleRate);
}

/** A 16 × 16 diagonal gradient: small, but not a single colour, so a viewer shows something. */
export const SAMPLE_PNG: Buffer = encodePng(16, 16, (x, y) => [x * 16, y * 16, 160]);

/** A 100 ms 440 Hz tone. */
export const SAMPLE_WAV: Buffer = encodeWav(100, 440);

export const SAMPLE_PNG_BASE64: string = SAMPLE_PNG.toString('base64');
export const SAMPLE_WAV_BASE64: string = SAMPLE_WAV.toString('base64');

/** A data: URI icon (a solid square with a lighter border), never a network address. */
export function iconDataUri(color: Rgb): string {
  const size = 16;
  const light: Rgb = [Math.min(255, color[0] + 80), Math.min(255, color[1] + 80), Math.min(255, color[2] + 80)];
  const png = encodePng(size, size, (x, y) => (x === 0 || y === 0 || x === size - 1 || y === size - 1 ? light : color));
  return `data:image/png;base64,${png.toString('base64')}`;
}

/** A 16 × 16 PNG icon in that colour, as the `icons` arrays (2025-11-25+) carry it. */
export function pngIcon(color: Rgb): Icon {
  return { src: iconDataUri(color), mimeType: 'image/png', sizes: ['16x16'] };
}
