// The toolbar above the overview: a button that folds the overview away, the file's name and size, and the
// editor's actions: reveal or hide tracker secrets (only when some are hidden and the setting does not
// already show them), copy the hash or a magnet link (with a menu that also copies it with the trackers'
// secrets, when they are hidden), and open the file as text (or in the hex editor, when there is one). In a
// narrow editor the buttons keep their icons only.

import { exactBytes } from '../../src/shared/format';
import { type CopyTarget, type Snapshot } from '../../src/shared/protocol/editor';
import { button, h, replace } from '../common/dom';
import { type MenuAnchor, type MenuItem } from '../common/menu';
import { SECRET_NOTE } from './tree-row';

export interface ToolbarActions {
  setRevealSecrets(reveal: boolean): void;
  copy(what: CopyTarget): void;
  openAsText(): void;
  toggleOverview(): void;
  menu(items: MenuItem[], anchor: MenuAnchor, label: string): void;
}

export class Toolbar {
  readonly element = h('div', { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'File and actions' } });

  constructor(private readonly actions: ToolbarActions) {}

  render(s: Snapshot, overviewCollapsed: boolean): void {
    const actions = this.actions;
    const items: HTMLElement[] = [];
    if (s.overview) {
      const toggle = button({
        label: overviewCollapsed ? 'Show the overview' : 'Hide the overview',
        icon: overviewCollapsed ? 'chevron-right' : 'chevron-down',
        class: 'icon-button overview-toggle',
        data: { action: 'toggle-overview' },
        onClick: () => actions.toggleOverview(),
      });
      toggle.setAttribute('aria-expanded', String(!overviewCollapsed));
      toggle.setAttribute('aria-controls', 'overview');
      items.push(toggle);
    }
    items.push(h('span', { class: 'file-name', text: s.fileName, title: s.fileName, data: { field: 'file-name' } }));
    items.push(h('span', { class: 'file-size', text: exactBytes(s.fileSize), data: { field: 'file-size' } }));
    // A torrent that cannot be edited here says so (a file that is no torrent has its error view instead).
    if (s.readOnly !== undefined && s.overview)
      items.push(
        h('span', { class: 'badge tone-muted', text: 'read-only', title: `Not editable: ${s.readOnly}`, data: { field: 'read-only' } }),
      );
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
      items.push(this.magnetButton(s.overview.magnetSecretsHidden));
    }
    const hex = s.rawEditor === 'hex';
    items.push(
      button({
        label: hex ? 'Reopen this file in the hex editor' : 'Reopen this file in the text editor',
        icon: hex ? 'file-binary' : 'go-to-file',
        text: hex ? 'Open in Hex Editor' : 'Open as Text',
        data: { action: 'open-text' },
        onClick: () => actions.openAsText(),
      }),
    );
    replace(this.element, ...items);
  }

  /** Copy magnet: one button, or with hidden secrets a button and a drop-down with the copy that keeps them. */
  private magnetButton(secretsHidden: boolean): HTMLElement {
    const actions = this.actions;
    const copy = button({
      label: secretsHidden ? "Copy a magnet link (the trackers' secrets hidden)" : 'Copy a magnet link',
      icon: 'link',
      text: 'Copy magnet',
      data: { action: 'copy-magnet' },
      onClick: () => actions.copy('magnet'),
    });
    if (!secretsHidden) return copy;
    const more = button({
      label: 'More ways to copy the magnet link',
      icon: 'chevron-down',
      class: 'button secondary split-more',
      data: { action: 'copy-magnet-menu' },
      onClick: () =>
        actions.menu(
          [
            {
              id: 'magnet',
              label: 'Copy Magnet Link',
              note: "The trackers' secrets hidden: private trackers refuse it.",
              run: () => actions.copy('magnet'),
            },
            {
              id: 'magnetWithSecrets',
              label: 'Copy Magnet Link with Secrets',
              note: SECRET_NOTE,
              run: () => actions.copy('magnetWithSecrets'),
            },
          ],
          more,
          'Copy magnet link',
        ),
    });
    more.setAttribute('aria-haspopup', 'menu');
    return h('span', { class: 'split-button' }, copy, more);
  }
}
