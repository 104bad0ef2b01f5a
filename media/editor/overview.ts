// The overview at the top of the editor: what the torrent is (name, info hashes, version, sizes, pieces,
// files, privacy, dates, creator, the info dictionary's byte span and whether it is canonical), then a
// summary of its problems. Each info hash opens the hash card.

import { formatCount, formatSpan, plural } from '../../src/shared/format';
import { type Snapshot } from '../../src/shared/protocol/editor';
import { button, h, icon, replace } from '../common/dom';
import { type HashCard } from './hash-card';
import { problemsSummary, type ProblemLinks } from './problems-summary';
import { shownText } from './shown-text';

/** A term and its value; `name` is the value's data-field, by which tests and the UI find it. */
function field(label: string, name: string, ...value: (Node | string)[]): HTMLElement[] {
  return [h('dt', { text: label }), h('dd', { data: { field: name } }, ...value)];
}

export class OverviewView {
  readonly element = h('section', { class: 'overview', attrs: { id: 'overview', 'aria-label': 'Overview' } });

  constructor(
    private readonly hashCard: HashCard,
    private readonly links: ProblemLinks,
  ) {
    // The card is fixed to the viewport; it follows its hash when the overview scrolls.
    this.element.addEventListener('scroll', () => hashCard.place());
  }

  render(s: Snapshot): void {
    const o = s.overview;
    this.element.hidden = !o && s.diagnostics.total === 0;
    const items: HTMLElement[] = [];
    if (o) {
      const list = h('dl', { class: 'fields' });
      const versionText = o.version === 'hybrid' ? 'hybrid (v1 + v2)' : o.version === 'v2' ? 'v2 only (BEP 52)' : 'v1';
      list.append(...field('Name', 'name', shownText(o.name)));
      if (o.storedName) {
        list.append(
          ...field(
            'Stored name',
            'stored-name',
            shownText(o.storedName),
            h('span', { class: 'muted', text: ' (the name above comes from name.utf-8, as libtorrent reads it)' }),
          ),
        );
      }
      if (o.infoHash.v1)
        list.append(
          h('dt', { text: 'Info hash v1' }),
          h('dd', { class: 'hash-line' }, this.hashTrigger(o.infoHash.v1, 'infohash-v1', 'Info hash v1')),
        );
      if (o.infoHash.v2)
        list.append(
          h('dt', { text: 'Info hash v2' }),
          h('dd', { class: 'hash-line' }, this.hashTrigger(o.infoHash.v2, 'infohash-v2', 'Info hash v2')),
        );
      list.append(...field('Version', 'version', versionText + (o.metaVersion !== undefined ? ` · meta version ${o.metaVersion}` : '')));
      list.append(
        ...field(
          'Total size',
          'total-size',
          h('span', {
            class: 'exact-hover',
            text: o.totalLengthText,
            title: `${formatCount(o.totalLength)} bytes`,
            attrs: { tabindex: 0 },
            data: { bytes: String(o.totalLength) },
          }),
          o.totalLength >= 1024 ? h('span', { class: 'muted exact', text: ` ${formatCount(o.totalLength)} bytes` }) : '',
        ),
      );
      list.append(
        ...field(
          'Pieces',
          'pieces',
          h('span', { data: { field: 'piece-count' }, text: formatCount(o.pieceCount) }),
          ' × ',
          h('span', { data: { field: 'piece-length' }, text: o.pieceLengthText, title: `${formatCount(o.pieceLength)} bytes` }),
          o.pieceLayerCount !== undefined ? h('span', { class: 'muted', text: ` · ${formatCount(o.pieceLayerCount)} piece layers` }) : '',
        ),
      );
      const realFiles = o.fileCount - o.padCount;
      list.append(
        ...field(
          'Files',
          'file-count',
          plural(realFiles, 'file'),
          o.padCount ? h('span', { class: 'muted', text: ` + ${formatCount(o.padCount)} pad` }) : '',
        ),
      );
      list.append(
        ...field(
          'Private',
          'private',
          o.private
            ? h('span', {
                text: 'yes',
                title: 'BEP 27: clients use only the trackers listed; DHT, peer exchange and local discovery are off.',
              })
            : 'no',
        ),
      );
      if (o.creationDate)
        list.append(
          ...field(
            'Created',
            'creation-date',
            h('span', { text: o.creationDate.text, title: `${o.creationDate.seconds} seconds since 1970-01-01 UTC` }),
          ),
        );
      if (o.createdBy) list.append(...field('Created by', 'created-by', shownText(o.createdBy)));
      if (o.comment) list.append(...field('Comment', 'comment', shownText(o.comment, 'text multiline')));
      if (o.source) list.append(...field('Source', 'source', shownText(o.source)));
      if (o.encoding) list.append(...field('Encoding', 'encoding', shownText(o.encoding)));
      const spanButton = button({
        label: 'Show the info dictionary in the raw tree',
        text: formatSpan(o.infoSpan[0], o.infoSpan[1]),
        class: 'link-button',
        data: { action: 'reveal-info' },
        onClick: () => this.links.reveal({ kind: 'infoDict' }),
      });
      list.append(
        ...field(
          'Info dictionary',
          'info-span',
          spanButton,
          h('span', { class: 'muted', text: ` ${formatCount(o.infoSpan[1] - o.infoSpan[0])} bytes hashed` }),
        ),
      );
      if (!o.infoCanonical) {
        list.append(
          ...field(
            'Canonical',
            'noncanonical',
            h(
              'span',
              { class: 'warning-text' },
              icon('warning'),
              h('span', { text: ' no: other tools that re-encode the info dictionary compute a different hash' }),
            ),
          ),
        );
      }
      items.push(list);
    }
    this.hashCard.update(o);
    if (s.diagnostics.total > 0) items.push(problemsSummary(s.diagnostics, this.links));
    replace(this.element, ...items);
  }

  /** Moves focus to the first info hash, which opens its card (the host's Show Info Hash Details). */
  focusHash(): void {
    this.element.querySelector<HTMLElement>('.hash-trigger')?.focus();
  }

  /** An info hash that opens the hash card. */
  private hashTrigger(hash: string, name: string, label: string): HTMLElement {
    const trigger = h('code', {
      class: 'hash hash-trigger',
      text: hash,
      attrs: {
        tabindex: 0,
        role: 'button',
        'aria-haspopup': 'dialog',
        'aria-expanded': 'false',
        'aria-label': `${label} ${hash}; details and copy actions`,
      },
      data: { field: name },
    });
    this.hashCard.attach(trigger);
    return trigger;
  }
}
