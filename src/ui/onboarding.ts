// The first run: which steps of the Getting Started walkthrough are done (kept in global state,
// so a step stays done), told to VS Code as context keys its completion events wait for; and
// whether a server is set up at all, so the status bar can offer to set one up instead.

import * as vscode from 'vscode';
import type { Settings } from '../platform/settings';

export const MILESTONES = ['serverSaved', 'connectionTested', 'imageSaved', 'galleryUsed'] as const;
export type Milestone = (typeof MILESTONES)[number];

const REACHED = 'sdStudio.onboarding.reached';
/** The walkthrough, as `workbench.action.openWalkthrough` names it: publisher.name#id. */
export const WALKTHROUGH_ID = 'sd-studio.stable-diffusion-studio#sdStudio.gettingStarted';

export class Onboarding implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly state: vscode.Memento,
    private readonly settings: Settings,
  ) {}

  /** Context keys for the steps done in earlier sessions (global state is in memory: no disk work). */
  restore(): void {
    for (const milestone of this.reachedList()) void setContext(milestone);
  }

  reached(milestone: Milestone): boolean {
    return this.reachedList().includes(milestone);
  }

  async reach(milestone: Milestone): Promise<void> {
    void setContext(milestone);
    if (this.reached(milestone)) return;
    await this.state.update(REACHED, [...this.reachedList(), milestone]);
    this.changed.fire();
  }

  /** A server is set up: the user chose one (a URL or named servers), or one has answered. */
  get serverSetUp(): boolean {
    return this.settings.serverChosen || this.connectionWorked;
  }

  /** A server has answered once (a connection test passed or an image was saved). */
  get connectionWorked(): boolean {
    return this.reached('connectionTested') || this.reached('imageSaved');
  }

  /** Back to a first run (tests of what a new user sees). */
  async forget(): Promise<void> {
    await this.state.update(REACHED, undefined);
    await Promise.all(MILESTONES.map((milestone) => setContext(milestone, false)));
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  private reachedList(): Milestone[] {
    const value = this.state.get<unknown>(REACHED);
    return Array.isArray(value) ? value.filter((item): item is Milestone => (MILESTONES as readonly unknown[]).includes(item)) : [];
  }
}

function setContext(milestone: Milestone, done = true): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', `sdStudio.done.${milestone}`, done);
}
