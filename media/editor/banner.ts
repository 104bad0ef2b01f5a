// The banner above the overview: news about the file on disk (reloaded, deleted, unreadable). A reload
// notice fades on its own; a deletion or a failed reload stays, because what is shown is then out of date.

import { h, icon } from '../common/dom';

const BANNER_MS = 6000;

export type BannerTone = 'info' | 'warning' | 'error';

export class Banner {
  readonly element = h('div', { class: 'banner', attrs: { id: 'banner', role: 'status' } });
  private hideTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.element.hidden = true;
  }

  /** Shows `text`; a banner that is not `sticky` hides itself after a few seconds. */
  show(text: string, tone: BannerTone, sticky: boolean): void {
    const banner = this.element;
    banner.textContent = '';
    banner.append(icon(tone === 'info' ? 'info' : tone === 'warning' ? 'warning' : 'error'), h('span', { text }));
    banner.className = `banner tone-${tone}`;
    banner.dataset.kind = tone;
    banner.hidden = false;
    clearTimeout(this.hideTimer);
    if (!sticky) this.hideTimer = setTimeout(() => (banner.hidden = true), BANNER_MS);
  }
}
