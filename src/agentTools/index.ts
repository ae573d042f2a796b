import * as vscode from 'vscode';
import type { AgentTools } from './tools';
import { AGENT_TOOL_NAMES } from './toolNames';

export type { AgentTools } from './tools';

/**
 * Registers the language model tools by name at activation; each tool's code (agentTools/tools.ts,
 * in the features bundle) is loaded when an agent first prepares or invokes one.
 */
export function registerAgentTools(load: () => Promise<AgentTools>): { tools: AgentTools; disposables: vscode.Disposable[] } {
  let loaded: Promise<AgentTools> | undefined;
  const toolOf = async (name: keyof AgentTools) => (await (loaded ??= load()))[name];
  const tools = Object.fromEntries(
    AGENT_TOOL_NAMES.map((name): [keyof AgentTools, vscode.LanguageModelTool<never>] => [
      name,
      {
        prepareInvocation: async (options, token) => (await toolOf(name)).prepareInvocation?.(options, token),
        invoke: async (options, token) => (await toolOf(name)).invoke(options, token),
      },
    ]),
  ) as AgentTools;
  return { tools, disposables: AGENT_TOOL_NAMES.map((name) => vscode.lm.registerTool(name, tools[name])) };
}
