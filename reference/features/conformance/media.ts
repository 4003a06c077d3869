/**
 * The binary payloads of the conformance fixtures, built here rather than pasted as opaque
 * base64 so that what the server sends is checkably a real PNG and a real WAV file: a client
 * that decodes them must succeed.
 */
import { encodePng, pcm16Wav } from '../resources/media.js';

/** A 1×1 opaque red PNG (8-bit RGB), the image the conformance scenarios suggest. */
function redPixelPng(): Buffer {
  return encodePng(1, 1, () => [0xff, 0x00, 0x00]);
}

const WAV_SAMPLE_RATE = 8000;
const WAV_SAMPLES = 16;

/** A tiny mono 16-bit PCM WAV: 2 ms of a square wave, so it is not mistaken for empty data. */
function squareWaveWav(): Buffer {
  const data = Buffer.alloc(WAV_SAMPLES * 2);
  for (let i = 0; i < WAV_SAMPLES; i++) data.writeInt16LE(i % 8 < 4 ? 8000 : -8000, i * 2);
  return pcm16Wav(data, WAV_SAMPLE_RATE);
}

/** Base64 of the 1×1 red PNG. */
export const RED_PIXEL_PNG_BASE64: string = redPixelPng().toString('base64');

/** Base64 of the short mono WAV. */
export const SQUARE_WAVE_WAV_BASE64: string = squareWaveWav().toString('base64');
