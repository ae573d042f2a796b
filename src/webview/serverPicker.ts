// Which named server the panel generates with (sdStudio.servers): shown once there are two to
// choose from; choosing one switches the server for every surface, as Select Server… does.

import type { ServerView } from '../shared/protocol';
import { fillSelect, h } from './dom';

export class ServerPicker {
  private readonly select = h('select', { id: 'server', name: 'server' });
  readonly element = h('div', { class: 'field server-picker', hidden: true }, h('label', { for: 'server', text: 'Server' }), this.select);
  private active = '';

  constructor(onSelect: (name: string) => void) {
    this.select.addEventListener('change', () => {
      if (this.select.value && this.select.value !== this.active) onSelect(this.select.value);
    });
  }

  render(server: ServerView): void {
    const profiles = server.profiles ?? [];
    this.element.hidden = profiles.length < 2;
    this.active = profiles.find((profile) => profile.active)?.name ?? '';
    fillSelect(
      this.select,
      profiles.map((profile) => ({ value: profile.name, label: profile.name })),
      this.active,
      (name) => name,
    );
    this.select.title = server.origin;
  }
}
