// Completion while typing in the prompt boxes: `<lora:` lists the server's LoRAs, and the start
// of a word lists the embeddings it begins. The box stays focused (it is the combobox: arrows
// move through the suggestions, Enter or Tab takes one, Escape closes), and a live region says
// how many there are, so a screen reader hears them.

import * as l10n from '@vscode/l10n';
import { loraTag } from '../shared/promptWeights';
import type { ServerView } from '../shared/protocol';
import { h } from './dom';

interface Suggestion {
  label: string;
  /** What replaces the typed fragment. */
  insert: string;
}

const LORA_FRAGMENT = /<lora:([^:<>\s]*)$/i;
const WORD_FRAGMENT = /(?:^|[\s,(])([\w-]{2,})$/;

export class PromptCompletion {
  readonly element: HTMLElement;
  private readonly list = h('ul', { id: 'suggestions', role: 'listbox', class: 'picker-list suggestions', 'aria-label': l10n.t('Suggestions') });
  private readonly status = h('p', { class: 'visually-hidden', id: 'suggestionStatus', 'aria-live': 'polite' });
  private server: ServerView = { origin: '' };
  private open: { box: HTMLTextAreaElement; from: number; items: Suggestion[]; active: number } | undefined;

  constructor(boxes: readonly HTMLTextAreaElement[]) {
    this.element = h('div', { class: 'completion' }, this.list, this.status);
    this.list.hidden = true;
    for (const box of boxes) {
      box.setAttribute('aria-autocomplete', 'list');
      box.addEventListener('input', () => this.suggest(box));
      box.addEventListener('keydown', (event) => this.onKey(event), true);
      box.addEventListener('blur', () => setTimeout(() => this.close(), 150));
    }
    this.list.addEventListener('mousedown', (event) => {
      const item = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
      if (!item) return;
      event.preventDefault(); // keep the focus in the box
      this.accept(Number(item.dataset.index));
    });
  }

  setServer(server: ServerView): void {
    this.server = server;
  }

  private suggest(box: HTMLTextAreaElement): void {
    const before = box.value.slice(0, box.selectionStart);
    const lora = LORA_FRAGMENT.exec(before);
    let items: Suggestion[] = [];
    let from = 0;
    if (lora) {
      const typed = lora[1]!.toLowerCase();
      from = before.length - lora[0].length;
      items = (this.server.loras ?? [])
        .filter((l) => `${l.name} ${l.alias ?? ''}`.toLowerCase().includes(typed))
        .map((l) => ({ label: l.alias && l.alias !== l.name ? `${l.name} (${l.alias})` : l.name, insert: loraTag(l, 1) }));
    } else {
      const word = WORD_FRAGMENT.exec(before);
      if (word) {
        const typed = word[1]!.toLowerCase();
        from = before.length - word[1]!.length;
        items = (this.server.embeddings ?? [])
          .filter((name) => name.toLowerCase().startsWith(typed) && name.toLowerCase() !== typed)
          .map((name) => ({ label: name, insert: name }));
      }
    }
    if (items.length === 0) return this.close();
    this.open = { box, from, items: items.slice(0, 20), active: 0 };
    this.render();
  }

  private render(): void {
    const open = this.open;
    if (!open) return;
    this.list.replaceChildren(
      ...open.items.map((item, index) =>
        h('li', {
          role: 'option',
          id: `suggestion-${index}`,
          'data-index': String(index),
          class: 'picker-option',
          'aria-selected': String(index === open.active),
          text: item.label,
        }),
      ),
    );
    this.list.hidden = false;
    // Right under the box being typed in.
    if (open.box.nextElementSibling !== this.element) open.box.insertAdjacentElement('afterend', this.element);
    open.box.setAttribute('aria-controls', 'suggestions');
    open.box.setAttribute('aria-expanded', 'true');
    open.box.setAttribute('aria-activedescendant', `suggestion-${open.active}`);
    this.status.textContent = `${open.items.length} suggestion${open.items.length === 1 ? '' : 's'}: ${open.items[open.active]?.label ?? ''}`;
  }

  private onKey(event: KeyboardEvent): void {
    const open = this.open;
    if (!open || event.target !== open.box || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      open.active = (open.active + (event.key === 'ArrowDown' ? 1 : -1) + open.items.length) % open.items.length;
      this.render();
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      this.accept(open.active);
    } else if (event.key === 'Escape') {
      this.close();
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  private accept(index: number): void {
    const open = this.open;
    const item = open?.items[index];
    if (!open || !item) return;
    open.box.setRangeText(item.insert, open.from, open.box.selectionStart, 'end');
    this.close();
    open.box.dispatchEvent(new Event('input', { bubbles: true }));
    this.close(); // the input event above must not reopen it on the inserted text
  }

  private close(): void {
    if (!this.open) return;
    const { box } = this.open;
    box.removeAttribute('aria-activedescendant');
    box.setAttribute('aria-expanded', 'false');
    this.open = undefined;
    this.list.hidden = true;
    this.status.textContent = '';
  }
}
