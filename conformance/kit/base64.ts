/** Strict RFC 4648 base64 (standard alphabet, padded), as MCP's `blob` and `data` fields use. */
export function isBase64(text: string): boolean {
  return text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text);
}

/** `type/subtype`, as RFC 6838 spells a media type (parameters allowed). */
export function isMimeType(text: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\s*;.*)?$/.test(text);
}
