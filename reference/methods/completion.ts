/** completion/complete for prompt arguments and resource template variables. */
import type { JsonObject } from '../../transport/jsonrpc.js';
import { invalidParams } from '../errors.js';
import type { Handler, ServerCore } from '../server-core.js';

/** The schema caps `values` at 100 items; `total` and `hasMore` tell the rest. */
const MAX_VALUES = 100;

export function completionComplete(core: ServerCore): Handler {
  return (params): JsonObject => {
    const ref = params.ref as JsonObject;
    const argument = params.argument as { name: string; value: string };
    const context = ((params.context as JsonObject | undefined)?.arguments as Record<string, string> | undefined) ?? {};
    let all: string[];
    if (ref.type === 'ref/prompt') {
      const prompt = core.registry.prompt(ref.name as string);
      if (!prompt) throw invalidParams(`Unknown prompt: ${String(ref.name)}`);
      if (!(prompt.arguments ?? []).some((a) => a.name === argument.name)) throw invalidParams(`Prompt ${prompt.name} has no argument ${argument.name}`);
      all = prompt.complete?.(argument.name, argument.value, context) ?? [];
    } else {
      const template = core.registry.templates.find((t) => t.uriTemplate === ref.uri);
      if (!template) {
        // A plain resource URI has no variables, so nothing to complete.
        if (core.registry.resource(ref.uri as string)) return { completion: { values: [], hasMore: false } };
        throw invalidParams(`Unknown resource template: ${String(ref.uri)}`);
      }
      all = template.complete?.(argument.name, argument.value, context) ?? [];
    }
    const values = all.slice(0, MAX_VALUES);
    return { completion: { values, total: all.length, hasMore: all.length > values.length } };
  };
}
