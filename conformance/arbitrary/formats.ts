/**
 * Strings for `format`: built to pass ajv-formats' full mode (the mode json-schema.ts uses),
 * and one string per format that it rejects, for near misses. A format without an entry is
 * generated as a plain string and left to the final ajv check.
 */
import fc from 'fast-check';

const label = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
const host = fc.tuple(label, fc.constantFrom('com', 'org', 'net', 'example')).map(([a, tld]) => `${a}.${tld}`);
const segment = fc.stringMatching(/^[a-zA-Z0-9_-]{1,8}$/);
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

// A fixed window keeps dates readable and away from year-0/9999 edge cases servers choke on.
const instant = fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) }).map((ms) => new Date(ms));
const clock = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 })).map(([h, m, s]) => `${pad(h)}:${pad(m)}:${pad(s)}`);
const zone = fc.constantFrom('Z', '+00:00', '+02:00', '-05:30');

const VALID: Readonly<Record<string, fc.Arbitrary<string>>> = {
  uri: fc.tuple(fc.constantFrom('https', 'http'), host, fc.array(segment, { maxLength: 3 })).map(([scheme, h, path]) => `${scheme}://${h}/${path.join('/')}`),
  url: fc.tuple(host, fc.array(segment, { maxLength: 3 })).map(([h, path]) => `https://${h}/${path.join('/')}`),
  'uri-reference': fc.array(segment, { minLength: 1, maxLength: 3 }).map((path) => `/${path.join('/')}`),
  iri: fc.tuple(host, segment).map(([h, s]) => `https://${h}/${s}`),
  email: fc.tuple(segment, host).map(([local, h]) => `${local}@${h}`),
  hostname: host,
  'date-time': fc.tuple(instant, zone).map(([d, z]) => d.toISOString().replace('Z', z)),
  date: instant.map((d) => d.toISOString().slice(0, 10)),
  time: fc.tuple(clock, zone).map(([c, z]) => `${c}${z}`),
  uuid: fc.uuid(),
  ipv4: fc.ipV4(),
  ipv6: fc.ipV6(),
  duration: fc.tuple(fc.integer({ min: 1, max: 99 }), fc.constantFrom('D', 'H', 'M', 'S')).map(([n, unit]) => (unit === 'D' ? `P${n}D` : `PT${n}${unit}`)),
  'json-pointer': fc.array(segment, { maxLength: 3 }).map((path) => path.map((s) => `/${s}`).join('')),
  regex: fc.constantFrom('^a+$', '[0-9]{2}', 'x|y'),
  byte: fc.uint8Array({ maxLength: 9 }).map((b) => Buffer.from(b).toString('base64')),
};

const INVALID: Readonly<Record<string, string>> = {
  uri: 'not a uri',
  url: 'not a url',
  'uri-reference': 'not a\\uri',
  iri: 'not an iri',
  email: 'not-an-email',
  hostname: '-not-a-host-',
  'date-time': '2025-13-45T25:61:00Z',
  date: '2025-13-45',
  time: '25:61:00Z',
  uuid: 'not-a-uuid',
  ipv4: '256.256.256.256',
  ipv6: '12345::zz',
  duration: 'P',
  'json-pointer': 'no-leading-slash',
  regex: '(',
  byte: '!!!',
};

export function formatArbitrary(format: string): fc.Arbitrary<string> | undefined {
  return VALID[format];
}

export function invalidFormatSample(format: string): string | undefined {
  return INVALID[format];
}
