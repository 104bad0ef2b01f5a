// The info-hash card: a popup over an info hash in the overview with every form of the hash (v1 hex and
// base32, v2 and its truncation), the bytes that were hashed, a warning when tools that re-encode will
// disagree, and copy buttons. It opens on hover (after a short delay) or on focus, so keyboard users get
// it too; Enter moves into it, Escape closes it and returns to the hash.

import { exactBytes, formatSpan } from '../../src/shared/format';
import { type CopyTarget, type Overview } from '../../src/shared/protocol/editor';
import { button, h, icon, replace } from '../common/dom';
import { SECRET_NOTE } from './tree-row';

const SHOW_DELAY_MS = 200;
const HIDE_DELAY_MS = 300;
/** Space kept between the card and the window's edges or its hash, in CSS pixels. */
const EDGE = 8;
const GAP = 4;

export class HashCard {
  readonly element = h('div', { class: 'hash-card', attrs: { id: 'hash-card', role: 'dialog', 'aria-label': 'Info hash details' } });
  private readonly status = h('div', { class: 'card-status', attrs: { role: 'status' }, data: { field: 'card-status' } });
  /** Whether there is a torrent to show (a file that did not parse has no hashes). */
  private filled = false;
  /** The hash the card was opened from. */
  private trigger: HTMLElement | undefined;
  /** What the card opens below: the last of the hashes, so that it covers none of them. */
  private readonly below = new WeakMap<HTMLElement, HTMLElement>();
  private showTimer: ReturnType<typeof setTimeout> | undefined;
  private hideTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set while Escape puts focus back on the hash, so that focus does not open the card again. */
  private returningFocus = false;

  /** `copy` asks the host to copy one form of the hash, and resolves with what to say (nothing when it failed). */
  constructor(private readonly copy: (what: CopyTarget) => Promise<string | undefined>) {
    const card = this.element;
    card.hidden = true;
    window.addEventListener('resize', () => this.place());
    card.addEventListener('mouseenter', () => clearTimeout(this.hideTimer));
    card.addEventListener('mouseleave', () => this.hideSoon());
    card.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        this.hide(true);
      }
    });
    document.addEventListener('focusin', (event) => {
      const target = event.target as Node;
      if (card.hidden || card.contains(target) || (this.trigger && this.trigger.contains(target))) return;
      this.hide();
    });
  }

  /** Fills the card for a torrent, or closes it for good when there is none. */
  update(overview: Overview | undefined): void {
    this.filled = overview !== undefined;
    if (overview) this.fill(overview);
    else this.hide();
  }

  /**
   * Makes a hash in the overview open the card: on hover, on focus, and with Enter or Space. The card opens
   * below `below` (the hash itself unless given), at the hash's left edge.
   */
  attach(trigger: HTMLElement, below: HTMLElement = trigger): void {
    this.below.set(trigger, below);
    trigger.addEventListener('mouseenter', () => {
      clearTimeout(this.hideTimer);
      this.showTimer = setTimeout(() => this.show(trigger), SHOW_DELAY_MS);
    });
    trigger.addEventListener('mouseleave', () => this.hideSoon());
    trigger.addEventListener('focus', () => {
      if (!this.returningFocus) this.show(trigger);
    });
    trigger.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.hide(true);
      else if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        this.show(trigger);
        this.element.querySelector('button')?.focus();
      }
    });
  }

  /**
   * Fixed to the viewport (the overview scrolls and would clip it): below the last hash, or above the first
   * when there is no room below.
   */
  place(): void {
    const card = this.element;
    if (!this.trigger || card.hidden) return;
    const box = this.trigger.getBoundingClientRect();
    const bottom = (this.below.get(this.trigger) ?? this.trigger).getBoundingClientRect().bottom;
    const first = this.trigger.closest('.fields')?.querySelector('.hash-trigger')?.getBoundingClientRect().top ?? box.top;
    const width = card.offsetWidth;
    const height = card.offsetHeight;
    const left = Math.max(EDGE, Math.min(box.left, window.innerWidth - width - EDGE));
    const below = bottom + GAP;
    const top = below + height <= window.innerHeight - EDGE || first - height - GAP < EDGE ? below : first - height - GAP;
    card.style.left = `${left}px`;
    card.style.top = `${top}px`;
  }

  private show(trigger: HTMLElement): void {
    clearTimeout(this.hideTimer);
    clearTimeout(this.showTimer);
    if (!this.filled) return;
    this.trigger = trigger;
    // Right after its trigger in the DOM, so Tab moves from the hash into the card's buttons.
    if (trigger.nextElementSibling !== this.element) trigger.after(this.element);
    this.element.hidden = false;
    trigger.setAttribute('aria-expanded', 'true');
    this.place();
  }

  private hide(returnFocus = false): void {
    clearTimeout(this.showTimer);
    clearTimeout(this.hideTimer);
    if (this.element.hidden) return;
    this.element.hidden = true;
    this.trigger?.setAttribute('aria-expanded', 'false');
    if (returnFocus && this.trigger) {
      // Back on the hash without opening the card again: Escape closed it.
      this.returningFocus = true;
      this.trigger.focus();
      this.returningFocus = false;
    }
  }

  private hideSoon(): void {
    clearTimeout(this.showTimer);
    clearTimeout(this.hideTimer);
    this.hideTimer = setTimeout(() => this.hide(), HIDE_DELAY_MS);
  }

  private fill(o: Overview): void {
    const hashes = h('div', { class: 'card-hashes' });
    const lines: HTMLElement[] = [h('h3', { text: 'Info hash' }), hashes];
    if (o.infoHash.v1) {
      hashes.append(this.line('v1 (SHA-1, hex)', o.infoHash.v1, 'card-v1-hex', 'infoHashV1'));
      hashes.append(this.line('v1 (base32)', o.infoHash.v1Base32 ?? '', 'card-v1-base32', 'infoHashV1Base32'));
    }
    if (o.infoHash.v2) {
      hashes.append(this.line('v2 (SHA-256, hex)', o.infoHash.v2, 'card-v2-hex', 'infoHashV2'));
      if (o.infoHash.v2Truncated)
        hashes.append(
          this.line(
            'v2 truncated',
            o.infoHash.v2Truncated,
            'card-v2-truncated',
            'infoHashV2Truncated',
            'first 20 bytes: what v2 swarms use on trackers and the DHT',
          ),
        );
    }
    const length = o.infoSpan[1] - o.infoSpan[0];
    const algorithms = o.infoHash.v1 && o.infoHash.v2 ? 'SHA-1 (v1) and SHA-256 (v2)' : o.infoHash.v2 ? 'SHA-256' : 'SHA-1';
    lines.push(
      h(
        'p',
        { class: 'card-span', data: { field: 'card-span' } },
        `Hashed bytes: ${formatSpan(o.infoSpan[0], o.infoSpan[1])}, ${exactBytes(length)}: the info dictionary.`,
      ),
    );
    lines.push(
      h('p', {
        class: 'card-method',
        data: { field: 'card-method' },
        text: `${algorithms} of the info dictionary's original bytes, exactly as stored in the file (not re-encoded).`,
      }),
    );
    if (!o.infoCanonical) {
      const warning = h('div', { class: 'card-warning', data: { field: 'card-noncanonical' } }, icon('warning'));
      warning.append(
        h('span', {
          text: ' The info dictionary is not canonical bencode (unsorted or duplicate keys). Tools that decode and re-encode it compute a different hash',
        }),
      );
      if (o.reencodedInfoHashV1) {
        warning.append(
          h('span', { text: ': ' }),
          h('code', { class: 'hash', text: o.reencodedInfoHashV1, data: { field: 'card-reencoded-v1' } }),
        );
      }
      warning.append(h('span', { text: '. The hash above is the one BitTorrent clients use.' }));
      lines.push(warning);
    }
    const actions = h(
      'div',
      { class: 'card-actions' },
      button({
        label: 'Copy the info hash',
        icon: 'copy',
        text: 'Copy hash',
        data: { action: 'copy-hash' },
        onClick: () => void this.copyAndSay('infoHash'),
      }),
      button({
        label: 'Copy a magnet link',
        icon: 'link',
        text: 'Copy magnet link',
        data: { action: 'copy-magnet' },
        onClick: () => void this.copyAndSay('magnet'),
      }),
    );
    let secretNote: HTMLElement | undefined;
    if (o.magnetSecretsHidden) {
      actions.append(
        button({
          label: `Copy a magnet link with the trackers' passkeys. ${SECRET_NOTE}`,
          icon: 'key',
          text: 'Copy with secrets',
          data: { action: 'copy-magnet-secrets' },
          onClick: () => void this.copyAndSay('magnetWithSecrets'),
        }),
      );
      secretNote = h('p', {
        class: 'card-note secret-note',
        data: { field: 'card-secret-note' },
        text: `"Copy magnet link" hides the trackers' passkeys, which private trackers need; "Copy with secrets" keeps them. ${SECRET_NOTE}`,
      });
    }
    this.status.textContent = '';
    replace(this.element, ...lines, actions, secretNote, this.status);
  }

  /** One form of the hash with its copy button. */
  private line(label: string, value: string, name: string, copyTarget: CopyTarget, note?: string): HTMLElement {
    const line = h(
      'div',
      { class: 'card-line' },
      h('span', { class: 'card-label', text: label }),
      h('code', { class: 'hash', text: value, data: { field: name } }),
      button({
        label: `Copy ${label}`,
        icon: 'copy',
        class: 'icon-button',
        data: { action: `copy-${name}` },
        onClick: () => void this.copyAndSay(copyTarget),
      }),
    );
    if (note) line.append(h('span', { class: 'card-note', text: note }));
    return line;
  }

  /** Copies, and says so in the card as well, where the user is looking. */
  private async copyAndSay(what: CopyTarget): Promise<void> {
    const message = await this.copy(what);
    if (message !== undefined) this.status.textContent = message;
  }
}
