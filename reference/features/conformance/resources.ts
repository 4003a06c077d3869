/**
 * The resources and the resource template the server scenarios of
 * @modelcontextprotocol/conformance 0.1.16 read or subscribe to by URI: resources-read-text,
 * resources-read-binary, resources-templates-read, resources-subscribe and
 * resources-unsubscribe (which need test://watched-resource to exist).
 */
import type { JsonObject } from '../../../transport/jsonrpc.js';
import type { ResourceDefinition, ResourceTemplateDefinition } from '../../types.js';
import { RED_PIXEL_PNG_BASE64 } from './media.js';

export const STATIC_TEXT_URI = 'test://static-text';
export const STATIC_TEXT = 'This is the content of the static text resource.';
export const STATIC_BINARY_URI = 'test://static-binary';
export const WATCHED_URI = 'test://watched-resource';
export const WATCHED_TEXT = 'Watched resource content';
export const DATA_TEMPLATE = 'test://template/{id}/data';

/** Ids offered by completion of the template's `id` variable. */
export const TEMPLATE_ID_SUGGESTIONS = ['123', '456', '789'] as const;

export function conformanceResources(): ResourceDefinition[] {
  return [
    {
      uri: STATIC_TEXT_URI,
      name: 'static-text',
      title: 'Static Text Resource',
      description: 'A fixed text resource (conformance scenario resources-read-text).',
      mimeType: 'text/plain',
      read: () => [{ uri: STATIC_TEXT_URI, mimeType: 'text/plain', text: STATIC_TEXT }],
    },
    {
      uri: STATIC_BINARY_URI,
      name: 'static-binary',
      title: 'Static Binary Resource',
      description: 'A 1x1 PNG served as a binary resource (conformance scenario resources-read-binary).',
      mimeType: 'image/png',
      read: () => [{ uri: STATIC_BINARY_URI, mimeType: 'image/png', blob: RED_PIXEL_PNG_BASE64 }],
    },
    {
      uri: WATCHED_URI,
      name: 'watched-resource',
      title: 'Watched Resource',
      description: 'A text resource clients subscribe to (conformance scenarios resources-subscribe and resources-unsubscribe).',
      mimeType: 'text/plain',
      read: () => [{ uri: WATCHED_URI, mimeType: 'text/plain', text: WATCHED_TEXT }],
    },
  ];
}

/**
 * What `{id}` may expand to under RFC 6570 simple expansion: unreserved characters and
 * percent-encoded octets. Anything else is not a URI this template produces.
 */
const DATA_URI = /^test:\/\/template\/((?:[A-Za-z0-9\-._~]|%[0-9A-Fa-f]{2})+)\/data$/;

/** The `id` a URI of the data template carries, or undefined if it is not one. */
export function templateId(uri: string): string | undefined {
  const match = DATA_URI.exec(uri);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1] as string);
  } catch {
    // Percent-escapes that are not UTF-8: no id this template could have expanded.
    return undefined;
  }
}

function dataContents(uri: string, id: string): JsonObject[] {
  return [{ uri, mimeType: 'application/json', text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }) }];
}

export function conformanceTemplates(): ResourceTemplateDefinition[] {
  return [
    {
      uriTemplate: DATA_TEMPLATE,
      name: 'template',
      title: 'Resource Template',
      description: 'JSON data for any id, with the id substituted into the content (conformance scenario resources-templates-read).',
      mimeType: 'application/json',
      read(uri) {
        const id = templateId(uri);
        return id === undefined ? undefined : dataContents(uri, id);
      },
      complete(variable, value) {
        return variable === 'id' ? TEMPLATE_ID_SUGGESTIONS.filter((id) => id.startsWith(value)) : [];
      },
    },
  ];
}
