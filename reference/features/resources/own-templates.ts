/** The reference server's own resource templates. */
import type { ResourceTemplateDefinition } from '../../types.js';
import { greetingTemplate } from './greeting.js';
import { itemTemplate } from './items.js';

export function ownTemplates(): ResourceTemplateDefinition[] {
  return [itemTemplate(), greetingTemplate()];
}
