// The prompt helpers under the prompt boxes: searchable pickers for the server's LoRAs (inserts
// `<lora:name:weight>` at the cursor), embeddings (inserts the name) and styles (sent by name
// and shown as chips with what they add), and Ctrl/Cmd+Up/Down weight nudging as in the A1111
// web UI. Keyboard first: the picker is a combobox over a listbox; Escape returns focus.

import * as l10n from '@vscode/l10n';
import { loraTag, nudgeWeight } from '../shared/promptWeights';
import type { ServerView } from '../shared/protocol';
import { codicon, h } from './dom';

type Kind = 'lora' | 'embedding' | 'style';

interface Choice {
  value: string;
  label: string;
  detail?: string;
}

const titles = (): Record<Kind, string> => ({ lora: l10n.t('Add a LoRA'), embedding: l10n.t('Add an embedding'), style: l10n.t('Add a style') });

export class PromptHelpers {
  readonly element: HTMLElement;
  readonly chips = h('div', { class: 'style-chips', id: 'styleChips', 'aria-label': l10n.t('Styles'), role: 'list' });
  private readonly buttons: Record<Kind, HTMLButtonElement>;
  private readonly picker: HTMLElement;
  private readonly search = h('input', {
    type: 'search',
    id: 'pickerSearch',
    role: 'combobox',
    'aria-autocomplete': 'list',
    'aria-expanded': 'true',
    'aria-controls': 'pickerList',
    placeholder: l10n.t('Search'),
  });
  private readonly weight = h('input', { type: 'number', id: 'loraWeight', min: -2, max: 2, step: 0.05, value: '1', 'aria-label': l10n.t('LoRA weight') });
  private readonly weightField: HTMLElement;
  private readonly list = h('ul', { id: 'pickerList', role: 'listbox', class: 'picker-list' });
  private readonly status = h('p', { class: 'hint', id: 'pickerStatus', 'aria-live': 'polite' });
  private readonly missing = h('p', { class: 'hint', id: 'helpersMissing', hidden: true });
  private server: ServerView = { origin: '' };
  private kind: Kind = 'lora';
  private shown: Choice[] = [];
  private active = 0;
  private styleNames: string[] = [];
  /** The prompt box the user was last in: picks go there. */
  private target: HTMLTextAreaElement;

  constructor(
    boxes: { prompt: HTMLTextAreaElement; negativePrompt: HTMLTextAreaElement },
    private readonly onChange: () => void,
  ) {
    this.target = boxes.prompt;
    const button = (kind: Kind, text: string) =>
      h('button', { type: 'button', class: 'secondary helper', id: `add-${kind}`, text, 'aria-haspopup': 'listbox', 'aria-expanded': 'false' });
    this.buttons = { lora: button('lora', 'LoRA…'), embedding: button('embedding', l10n.t('Embedding…')), style: button('style', l10n.t('Style…')) };
    this.weightField = h('label', { class: 'inline weight' }, l10n.t('Weight') + ' ', this.weight);
    this.picker = h(
      'div',
      { class: 'picker', id: 'picker', role: 'dialog', hidden: true },
      h('div', { class: 'row' }, this.search, this.weightField),
      this.list,
      this.status,
    );
    this.element = h(
      'div',
      { class: 'prompt-helpers' },
      h('div', { class: 'row helper-buttons' }, this.buttons.lora, this.buttons.embedding, this.buttons.style),
      this.picker,
      this.missing,
    );
    for (const kind of Object.keys(this.buttons) as Kind[]) this.buttons[kind].addEventListener('click', () => this.toggle(kind));
    for (const box of [boxes.prompt, boxes.negativePrompt]) {
      box.addEventListener('focus', () => (this.target = box));
      box.addEventListener('keydown', (event) => this.onBoxKey(event, box));
    }
    this.search.addEventListener('input', () => this.filter());
    this.search.addEventListener('keydown', (event) => this.onSearchKey(event));
    this.list.addEventListener('click', (event) => {
      const item = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
      if (item) this.pick(Number(item.dataset.index));
    });
    this.chips.addEventListener('click', (event) => {
      const remove = (event.target as HTMLElement).closest<HTMLElement>('[data-style]');
      if (remove)
        this.setStyles(
          this.styleNames.filter((name) => name !== remove.dataset.style),
          true,
        );
    });
  }

  styles(): string[] {
    return [...this.styleNames];
  }

  setStyles(names: readonly string[], changed = false): void {
    this.styleNames = [...names];
    this.chips.replaceChildren(
      ...this.styleNames.map((name) => {
        const style = this.server.styles?.find((s) => s.name === name);
        const adds = style
          ? [style.prompt && l10n.t('Adds: {0}', style.prompt), style.negativePrompt && l10n.t('Negative: {0}', style.negativePrompt)]
              .filter(Boolean)
              .join(' · ')
          : '';
        return h(
          'span',
          { class: 'chip', role: 'listitem', title: adds || name },
          name,
          h('button', { type: 'button', class: 'chip-remove', 'data-style': name, 'aria-label': l10n.t('Remove the style {0}', name) }, codicon('close')),
        );
      }),
    );
    this.chips.hidden = this.styleNames.length === 0;
    if (changed) this.onChange();
  }

  setServer(server: ServerView): void {
    this.server = server;
    const known = server.models !== undefined && !server.error;
    const lists: Record<Kind, unknown[] | undefined> = { lora: server.loras, embedding: server.embeddings, style: server.styles };
    for (const kind of Object.keys(lists) as Kind[]) {
      const list = lists[kind];
      // Until the server answered, the buttons wait; then only what it offers, disabled when empty.
      this.buttons[kind].hidden = known && list === undefined;
      this.buttons[kind].disabled = !list || list.length === 0;
      this.buttons[kind].title = list ? l10n.t('{0} on this server', list.length) : l10n.t('Loading…');
    }
    const none = known && !server.loras && !server.embeddings && !server.styles;
    this.missing.hidden = !none;
    this.missing.textContent = none ? l10n.t('This server offers no LoRA, embedding or style lists.') : '';
    this.setStyles(this.styleNames);
    if (!this.picker.hidden) this.filter();
  }

  private toggle(kind: Kind): void {
    if (!this.picker.hidden && this.kind === kind) return this.close();
    this.kind = kind;
    for (const [other, button] of Object.entries(this.buttons)) button.setAttribute('aria-expanded', String(other === kind));
    this.picker.setAttribute('aria-label', titles()[kind]);
    this.weightField.hidden = kind !== 'lora';
    this.picker.hidden = false;
    this.search.value = '';
    this.filter();
    this.search.focus();
  }

  private close(): void {
    this.picker.hidden = true;
    this.buttons[this.kind].setAttribute('aria-expanded', 'false');
    this.buttons[this.kind].focus();
  }

  private choices(): Choice[] {
    if (this.kind === 'lora')
      return (this.server.loras ?? []).map((l) => ({ value: l.alias ?? l.name, label: l.name, ...(l.alias ? { detail: l.alias } : {}) }));
    if (this.kind === 'embedding') return (this.server.embeddings ?? []).map((name) => ({ value: name, label: name }));
    return (this.server.styles ?? []).map((s) => ({ value: s.name, label: s.name, detail: s.prompt }));
  }

  private filter(): void {
    const query = this.search.value.trim().toLowerCase();
    this.shown = this.choices().filter((c) => !query || `${c.label} ${c.detail ?? ''}`.toLowerCase().includes(query));
    this.active = 0;
    this.list.replaceChildren(
      ...this.shown.map((choice, index) =>
        h(
          'li',
          { role: 'option', id: `pick-${index}`, 'data-index': String(index), class: 'picker-option' },
          h('span', { text: choice.label }),
          ...(choice.detail ? [h('span', { class: 'hint', text: ` ${choice.detail}` })] : []),
        ),
      ),
    );
    this.status.textContent = `${this.shown.length} of ${this.choices().length}`;
    this.showActive();
  }

  private showActive(): void {
    this.list.querySelectorAll('[aria-selected]').forEach((item) => item.removeAttribute('aria-selected'));
    const item = this.list.querySelector<HTMLElement>(`#pick-${this.active}`);
    if (item) {
      item.setAttribute('aria-selected', 'true');
      item.scrollIntoView({ block: 'nearest' });
      this.search.setAttribute('aria-activedescendant', item.id);
    } else {
      this.search.removeAttribute('aria-activedescendant');
    }
  }

  private onSearchKey(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (this.shown.length === 0) return;
      this.active = (this.active + (event.key === 'ArrowDown' ? 1 : -1) + this.shown.length) % this.shown.length;
      this.showActive();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      event.stopPropagation(); // not the form's Ctrl+Enter
      this.pick(this.active);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      this.close();
    }
  }

  private pick(index: number): void {
    const choice = this.shown[index];
    if (!choice) return;
    if (this.kind === 'style') {
      if (!this.styleNames.includes(choice.value)) this.setStyles([...this.styleNames, choice.value], true);
    } else {
      const weight = Number(this.weight.value);
      this.insert(this.kind === 'lora' ? loraTag({ name: choice.value }, Number.isFinite(weight) ? weight : 1) : choice.value);
    }
    this.picker.hidden = true;
    this.buttons[this.kind].setAttribute('aria-expanded', 'false');
    this.target.focus();
  }

  /** At the cursor of the prompt box last used, with a space before it when it would touch a word. */
  private insert(text: string): void {
    const box = this.target;
    const at = box.selectionStart;
    const before = box.value.slice(0, at);
    const spaced = before === '' || /[\s,(]$/.test(before) ? text : ` ${text}`;
    box.setRangeText(spaced, at, box.selectionEnd, 'end');
    box.dispatchEvent(new Event('input', { bubbles: true }));
  }

  private onBoxKey(event: KeyboardEvent, box: HTMLTextAreaElement): void {
    if (!(event.ctrlKey || event.metaKey) || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    const edit = nudgeWeight(box.value, box.selectionStart, box.selectionEnd, event.key === 'ArrowUp' ? 0.1 : -0.1);
    if (!edit) return;
    event.preventDefault();
    box.value = edit.text;
    box.setSelectionRange(edit.start, edit.end);
    box.dispatchEvent(new Event('input', { bubbles: true }));
  }
}
