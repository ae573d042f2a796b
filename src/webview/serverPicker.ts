// Which named server the panel generates with (sdStudio.servers), or the pool of them: shown
// once there are two to choose from; choosing switches for every surface, as Select Server… does.

/** The pool's entry: no server name can hold a control character (the host trims and checks names). */
const POOL = '\u0001pool';

import * as l10n from '@vscode/l10n';
import type { ServerView } from '../shared/protocol';
import { fillSelect, h } from './dom';

export class ServerPicker {
  private readonly select = h('select', { id: 'server', name: 'server' });
  readonly element = h('div', { class: 'field server-picker', hidden: true }, h('label', { for: 'server', text: l10n.t('Server') }), this.select);
  private active = '';

  constructor(onSelect: (choice: { name: string } | { pool: true }) => void) {
    this.select.addEventListener('change', () => {
      const value = this.select.value;
      if (!value || value === this.active) return;
      onSelect(value === POOL ? { pool: true } : { name: value });
    });
  }

  render(server: ServerView): void {
    const profiles = server.profiles ?? [];
    this.element.hidden = profiles.length < 2;
    this.active = server.pool?.active ? POOL : (profiles.find((profile) => profile.active)?.name ?? '');
    fillSelect(
      this.select,
      [...profiles.map((profile) => ({ value: profile.name, label: profile.name })), ...(server.pool ? [{ value: POOL, label: server.pool.label }] : [])],
      this.active,
      (name) => name,
    );
    this.select.title = server.origin;
  }
}
