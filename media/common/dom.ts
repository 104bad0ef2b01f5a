// The only way our webviews build DOM: elements, attributes set through the DOM API, and text through
// textContent. There is no path from a string to markup here, so torrent and tracker text stays text.

type Child = Node | string | null | undefined | false;

export interface ElementOptions {
  class?: string;
  /** Plain text content (set with textContent). */
  text?: string;
  title?: string;
  attrs?: Record<string, string | number | boolean | undefined>;
  /** data-* attributes, without the prefix. */
  data?: Record<string, string | number | undefined>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

// Attributes that can run script or load content; we never need them, so they are refused outright.
const FORBIDDEN_ATTRIBUTE = /^(on|style$|srcdoc$|href$|src$|action$|formaction$|xlink:href$)/i;

export function setAttribute(element: Element, name: string, value: string | number | boolean | undefined): void {
  if (FORBIDDEN_ATTRIBUTE.test(name)) throw new Error(`refusing to set attribute ${name}`);
  if (value === undefined || value === false) element.removeAttribute(name);
  else element.setAttribute(name, value === true ? '' : String(value));
}

/** Creates an element. String children become text nodes. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.class) element.className = options.class;
  if (options.text !== undefined) element.textContent = options.text;
  if (options.title !== undefined) element.title = options.title;
  if (options.attrs) for (const [name, value] of Object.entries(options.attrs)) setAttribute(element, name, value);
  if (options.data)
    for (const [name, value] of Object.entries(options.data)) if (value !== undefined) element.dataset[name] = String(value);
  if (options.on) {
    for (const [type, listener] of Object.entries(options.on)) element.addEventListener(type, listener as EventListener);
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces an element's children. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** A codicon span; `name` is one of our own constants, never torrent text. */
export function icon(name: string, label?: string): HTMLSpanElement {
  const span = h('span', { class: `codicon codicon-${name}` });
  if (label) {
    span.setAttribute('role', 'img');
    span.setAttribute('aria-label', label);
  } else {
    span.setAttribute('aria-hidden', 'true');
  }
  return span;
}

/** A button with an icon and/or text; VS Code's secondary button unless `class` says otherwise. */
export function button(options: {
  label: string;
  icon?: string;
  text?: string;
  class?: string;
  data?: Record<string, string>;
  onClick: (event: MouseEvent) => void;
}): HTMLButtonElement {
  const b = h('button', {
    class: options.class ?? 'button secondary',
    title: options.label,
    attrs: { type: 'button', 'aria-label': options.text ? undefined : options.label },
    data: options.data,
  });
  if (options.icon) b.append(icon(options.icon));
  if (options.text) b.append(h('span', { text: options.text }));
  b.addEventListener('click', options.onClick);
  return b;
}
