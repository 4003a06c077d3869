/**
 * The server's declared state: its tools, resources, templates and prompts. Changes raise
 * events so every session can send the list_changed / resources/updated notifications it is
 * entitled to.
 */
import { EventEmitter } from 'node:events';
import type { PromptDefinition, ResourceDefinition, ResourceTemplateDefinition, ToolDefinition } from './types.js';

export type ListName = 'tools' | 'resources' | 'prompts';

export interface RegistryEvents {
  listChanged: [list: ListName];
  resourceUpdated: [uri: string];
}

export class Registry extends EventEmitter {
  readonly tools: ToolDefinition[] = [];
  readonly resources: ResourceDefinition[] = [];
  readonly templates: ResourceTemplateDefinition[] = [];
  readonly prompts: PromptDefinition[] = [];

  constructor() {
    super();
    // Every session listens; hundreds of sessions are normal, not a leak.
    this.setMaxListeners(0);
  }

  tool(name: string): ToolDefinition | undefined {
    return this.tools.find((t) => t.name === name);
  }

  prompt(name: string): PromptDefinition | undefined {
    return this.prompts.find((p) => p.name === name);
  }

  resource(uri: string): ResourceDefinition | undefined {
    return this.resources.find((r) => r.uri === uri);
  }

  addTool(tool: ToolDefinition): void {
    this.tools.push(tool);
    this.emit('listChanged', 'tools');
  }

  removeTool(name: string): boolean {
    const index = this.tools.findIndex((t) => t.name === name);
    if (index === -1) return false;
    this.tools.splice(index, 1);
    this.emit('listChanged', 'tools');
    return true;
  }

  addResource(resource: ResourceDefinition): void {
    this.resources.push(resource);
    this.emit('listChanged', 'resources');
  }

  removeResource(uri: string): boolean {
    const index = this.resources.findIndex((r) => r.uri === uri);
    if (index === -1) return false;
    this.resources.splice(index, 1);
    this.emit('listChanged', 'resources');
    return true;
  }

  addPrompt(prompt: PromptDefinition): void {
    this.prompts.push(prompt);
    this.emit('listChanged', 'prompts');
  }

  removePrompt(name: string): boolean {
    const index = this.prompts.findIndex((p) => p.name === name);
    if (index === -1) return false;
    this.prompts.splice(index, 1);
    this.emit('listChanged', 'prompts');
    return true;
  }

  /** Tells subscribers that a resource's contents changed. */
  touch(uri: string): void {
    this.emit('resourceUpdated', uri);
  }

  override on<E extends keyof RegistryEvents>(event: E, listener: (...args: RegistryEvents[E]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }
  override off<E extends keyof RegistryEvents>(event: E, listener: (...args: RegistryEvents[E]) => void): this {
    return super.off(event, listener as (...args: unknown[]) => void);
  }
}
