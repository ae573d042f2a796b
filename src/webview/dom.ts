// Tiny DOM helpers: every text goes through textContent, never innerHTML.

type Attributes = Record<string, string | number | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Node | string | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') element.className = String(value);
    else if (name === 'text') element.textContent = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

export function option(value: string, label = value, selected = false): HTMLOptionElement {
  const element = h('option', { value, text: label });
  element.selected = selected;
  return element;
}

/** Replaces a select's options, keeping `value` selected (added when the list lacks it). */
export function fillSelect(
  select: HTMLSelectElement,
  values: readonly { value: string; label: string }[],
  value: string,
  missingLabel: (value: string) => string,
): void {
  const options = values.map((v) => option(v.value, v.label, v.value === value));
  if (value !== '' && !values.some((v) => v.value === value)) options.unshift(option(value, missingLabel(value), true));
  select.replaceChildren(...options);
  select.value = value;
}

/** A codicon (VS Code's icon font), hidden from screen readers: its button carries the label. */
export function codicon(name: string): HTMLElement {
  return h('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}
