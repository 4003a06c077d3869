/**
 * Fixed resources, one per kind of contents: plain text, JSON text, and a base64 blob.
 * The constants are shared with tools and prompts that link to or embed these resources.
 */
import type { ResourceDefinition } from '../../types.js';
import { COUNTER_URI } from './counter.js';
import { pngIcon, SAMPLE_PNG, SAMPLE_PNG_BASE64 } from './media.js';

export const HELLO_URI = 'mcpcert://text/hello';
export const HELLO_TEXT = 'Hello from the mcpcert reference server.\nThis resource is plain text and never changes.\n';

export const PNG_URI = 'mcpcert://binary/sample.png';

export const INFO_URI = 'mcpcert://json/info';
export const INFO_JSON = `${JSON.stringify(
  {
    server: 'mcpcert reference',
    purpose: 'exercise every MCP feature of every protocol version',
    resources: { text: HELLO_URI, binary: PNG_URI, counter: COUNTER_URI, items: 'mcpcert://items/{n}' },
  },
  null,
  2,
)}\n`;

const ICON = pngIcon([60, 160, 90]);

/** A fixed date: these resources never change, so their lastModified must not move between runs. */
const RELEASED = '2025-01-01T00:00:00Z';

export function helloResource(): ResourceDefinition {
  return {
    uri: HELLO_URI,
    name: 'hello',
    title: 'Hello (plain text)',
    description: 'A short plain-text resource.',
    mimeType: 'text/plain',
    size: Buffer.byteLength(HELLO_TEXT),
    annotations: { audience: ['user', 'assistant'], priority: 0.5 },
    icons: [ICON],
    read: () => [{ uri: HELLO_URI, mimeType: 'text/plain', text: HELLO_TEXT }],
  };
}

export function infoResource(): ResourceDefinition {
  return {
    uri: INFO_URI,
    name: 'info',
    title: 'Server information (JSON)',
    description: 'A JSON document describing this server and where its resources are.',
    mimeType: 'application/json',
    size: Buffer.byteLength(INFO_JSON),
    annotations: { audience: ['assistant'], priority: 0.8, lastModified: RELEASED },
    read: () => [{ uri: INFO_URI, mimeType: 'application/json', text: INFO_JSON }],
  };
}

export function pngResource(): ResourceDefinition {
  return {
    uri: PNG_URI,
    name: 'sample.png',
    title: 'Sample image (binary)',
    description: 'A 16 × 16 PNG gradient, read as a base64 blob.',
    mimeType: 'image/png',
    size: SAMPLE_PNG.length,
    annotations: { audience: ['user'], priority: 0.3, lastModified: RELEASED },
    icons: [ICON],
    read: () => [{ uri: PNG_URI, mimeType: 'image/png', blob: SAMPLE_PNG_BASE64 }],
  };
}
