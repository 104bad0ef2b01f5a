// The toolbar above the overview: the file's name and size, and the editor's actions: reveal or hide
// tracker secrets (only when some are hidden and the setting does not already show them), copy the hash
// or a magnet link, and open the file as text.

import { formatCount } from '../../src/shared/format';
import { type CopyTarget, type Snapshot } from '../../src/shared/protocol/editor';
import { button, h, replace } from '../common/dom';

export interface ToolbarActions {
  setRevealSecrets(reveal: boolean): void;
  copy(what: CopyTarget): void;
  openAsText(): void;
}

export class Toolbar {
  readonly element = h('div', { class: 'toolbar', attrs: { 'aria-label': 'File and actions' } });

  constructor(private readonly actions: ToolbarActions) {}

  render(s: Snapshot): void {
    const actions = this.actions;
    const items: HTMLElement[] = [];
    items.push(h('span', { class: 'file-name', text: s.fileName, data: { field: 'file-name' } }));
    items.push(h('span', { class: 'file-size', text: `${formatCount(s.fileSize)} bytes`, data: { field: 'file-size' } }));
    items.push(h('span', { class: 'fill' }));
    const secretsRelevant = !s.secretsSettingOn && (s.revealSecrets || s.overview?.secretsHidden);
    if (secretsRelevant) {
      const toggle = button({
        label: s.revealSecrets ? 'Hide tracker passkeys and other secrets again' : 'Show tracker passkeys and other secrets in this editor',
        icon: s.revealSecrets ? 'eye-closed' : 'eye',
        text: s.revealSecrets ? 'Hide secrets' : 'Reveal secrets',
        data: { action: 'toggle-secrets' },
        onClick: () => actions.setRevealSecrets(!s.revealSecrets),
      });
      toggle.setAttribute('aria-pressed', String(s.revealSecrets));
      items.push(toggle);
    }
    if (s.overview) {
      items.push(
        button({
          label: 'Copy the info hash',
          icon: 'copy',
          text: 'Copy hash',
          data: { action: 'copy-hash' },
          onClick: () => actions.copy('infoHash'),
        }),
      );
      items.push(
        button({
          label: 'Copy a magnet link',
          icon: 'link',
          text: 'Copy magnet',
          data: { action: 'copy-magnet' },
          onClick: () => actions.copy('magnet'),
        }),
      );
    }
    items.push(
      button({
        label: 'Open this file in the text editor',
        icon: 'go-to-file',
        text: 'Open as Text',
        data: { action: 'open-text' },
        onClick: () => actions.openAsText(),
      }),
    );
    replace(this.element, ...items);
  }
}
