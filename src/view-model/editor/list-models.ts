// The smaller trees: trackers by tier, web seeds, DHT nodes, unknown keys and problems.
// Each can still be long (a torrent may list thousands of trackers or carry a problem per file), so
// they go through the same paging as the big trees.
import type { Metainfo } from '../../core/metainfo/types';
import type { Problem } from './parsed-torrent';
import type { Secrets } from '../../core/privacy/secrets';
import type { Badge, DiagnosticView, RowAction } from '../../shared/protocol/editor';
import { plainText, shownText } from '../format';
import { formatCount, formatSpan, plural } from '../../shared/format';
import type { RowContent, TreeModel } from '../tree/visible-rows';
import { isWebLink } from './links';

/** A one-level list: its rows are its items. */
export class FlatListModel<T> implements TreeModel<number> {
  readonly root = -1;
  constructor(
    readonly items: readonly T[],
    private readonly render: (item: T, index: number) => RowContent,
  ) {}
  childCount(node: number): number {
    return node === -1 ? this.items.length : 0;
  }
  child(_node: number, position: number): number {
    return position;
  }
  expandable(): boolean {
    return false;
  }
  content(node: number): RowContent {
    return this.render(this.items[node], node);
  }
}

export type TrackerNode = { kind: 'root' } | { kind: 'tier'; tier: number } | { kind: 'tracker'; tier: number; index: number };

const SECRET_BADGE: Badge = {
  text: 'secret hidden',
  title:
    'Part of this URL looks like a passkey or other secret and is hidden. Use "Reveal secrets" (or the torrentLens.privacy.showSecrets setting) to show it.',
  tone: 'muted',
};

/** A URL as shown: redacted through the torrent's secrets (unless they are shown), with a badge when something was hidden. */
export function shownUrl(url: string, secrets: Secrets): { text: ReturnType<typeof shownText>; hidden: boolean } {
  const hidden = !secrets.shown && secrets.hasSecret(url);
  return { text: shownText({ text: secrets.redactUrl(url), utf8: true }), hidden };
}

function schemeBadge(url: string): Badge {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'udp':
      return { text: 'UDP', title: 'UDP tracker protocol (BEP 15)', tone: 'info' };
    case 'http':
      return { text: 'HTTP', title: 'HTTP tracker (BEP 3)', tone: 'info' };
    case 'https':
      return { text: 'HTTPS', title: 'HTTP tracker over TLS (BEP 3)', tone: 'info' };
    case 'ws':
    case 'wss':
      return {
        text: 'WebSocket',
        title:
          'WebTorrent tracker: Torrent Lens announces and scrapes it for counts; its peers are WebRTC peers, which it does not contact.',
        tone: 'muted',
      };
    default:
      return { text: scheme ? scheme : 'not a URL', title: 'Not a tracker URL scheme that BitTorrent clients use.', tone: 'warning' };
  }
}

export class TrackersModel implements TreeModel<TrackerNode> {
  readonly root: TrackerNode = { kind: 'root' };
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly trackers: readonly (readonly string[])[],
    private readonly secrets: Secrets,
    /** Whether the rows offer edits (the torrent can be edited here). */
    private readonly editable = false,
  ) {
    for (const tier of trackers) for (const url of tier) this.seen.set(url, (this.seen.get(url) ?? 0) + 1);
  }

  get count(): number {
    let n = 0;
    for (const tier of this.trackers) n += tier.length;
    return n;
  }

  childCount(node: TrackerNode): number {
    if (node.kind === 'root') return this.trackers.length;
    return node.kind === 'tier' ? this.trackers[node.tier].length : 0;
  }
  child(node: TrackerNode, position: number): TrackerNode {
    return node.kind === 'root'
      ? { kind: 'tier', tier: position }
      : { kind: 'tracker', tier: (node as { tier: number }).tier, index: position };
  }
  expandable(node: TrackerNode): boolean {
    return node.kind !== 'tracker' && this.childCount(node) > 0;
  }
  content(node: TrackerNode): RowContent {
    if (node.kind === 'root') return { icon: 'tier', label: plainText('trackers') };
    if (node.kind === 'tier') {
      return {
        icon: 'tier',
        label: plainText(`Tier ${node.tier + 1}`),
        detail: plural(this.trackers[node.tier].length, 'tracker'),
        actions: this.editable ? ['announce', 'scrape', 'addTracker', ...this.moves(node), 'remove'] : ['announce', 'scrape'],
      };
    }
    const url = this.trackers[node.tier][node.index];
    const shown = shownUrl(url, this.secrets);
    const badges = [schemeBadge(url)];
    if (shown.hidden) badges.push(SECRET_BADGE);
    if ((this.seen.get(url) ?? 0) > 1)
      badges.push({ text: 'duplicate', title: 'This URL is listed more than once; clients contact it once.', tone: 'warning' });
    const actions: RowAction[] = shown.hidden ? ['announce', 'scrape', 'copy', 'copyWithSecrets'] : ['announce', 'scrape', 'copy'];
    if (this.editable) {
      actions.push('edit', ...this.moves(node));
      if (this.trackers[node.tier].length > 1) actions.push('moveToNewTier');
      actions.push('remove');
    }
    return { icon: 'tracker', label: shown.text, badges, actions };
  }

  /**
   * The moves a row can make: a tier up or down among the tiers; a tracker within its tier and on into the tier
   * before or after. Only the very first cannot go up and the very last cannot go down.
   */
  private moves(node: Exclude<TrackerNode, { kind: 'root' }>): RowAction[] {
    const last = this.trackers.length - 1;
    const first = node.tier === 0 && (node.kind === 'tier' || node.index === 0);
    const final = node.tier === last && (node.kind === 'tier' || node.index === this.trackers[last].length - 1);
    return [...(first ? [] : ['moveUp' as const]), ...(final ? [] : ['moveDown' as const])];
  }

  /** The real URL (never redacted) for a tracker row, or the tier's index for a tier row. */
  target(node: TrackerNode): { url: string } | { tier: number } | undefined {
    if (node.kind === 'tracker') return { url: this.trackers[node.tier][node.index] };
    if (node.kind === 'tier') return { tier: node.tier };
    return undefined;
  }

  url(node: TrackerNode): string | undefined {
    return node.kind === 'tracker' ? this.trackers[node.tier][node.index] : undefined;
  }
}

export interface WebSeed {
  url: string;
  kind: 'url-list' | 'httpseeds';
}

export function webSeedsModel(metainfo: Metainfo, secrets: Secrets, editable = false): FlatListModel<WebSeed> {
  const seeds: WebSeed[] = [
    ...metainfo.webSeeds.map((url) => ({ url, kind: 'url-list' as const })),
    ...metainfo.httpSeeds.map((url) => ({ url, kind: 'httpseeds' as const })),
  ];
  return new FlatListModel(seeds, (seed) => {
    const shown = shownUrl(seed.url, secrets);
    const badges: Badge[] = [
      seed.kind === 'url-list'
        ? { text: 'BEP 19', title: 'Web seed from url-list (GetRight style): plain HTTP/FTP downloads of the files.', tone: 'info' }
        : { text: 'BEP 17', title: 'HTTP seed from httpseeds (Hoffman style): a seeding script; few clients support it.', tone: 'info' },
    ];
    if (shown.hidden) badges.push(SECRET_BADGE);
    const actions: RowAction[] = shown.hidden ? ['copy', 'copyWithSecrets'] : isWebLink(seed.url) ? ['open', 'copy'] : ['copy'];
    if (editable) actions.push('edit', 'remove');
    return { icon: 'seed', label: shown.text, badges, actions };
  });
}

export function nodesModel(metainfo: Metainfo, editable = false): FlatListModel<Metainfo['nodes'][number]> {
  return new FlatListModel(metainfo.nodes, (node) => ({
    icon: 'node',
    label: shownText({ text: node.host.includes(':') ? `[${node.host}]:${node.port}` : `${node.host}:${node.port}`, utf8: true }),
    actions: editable ? ['copy', 'remove'] : ['copy'],
  }));
}

export function keysModel(metainfo: Metainfo, editable = false): FlatListModel<Metainfo['unknownKeys'][number]> {
  const doc = metainfo.document;
  return new FlatListModel(metainfo.unknownKeys, (key) => {
    const kind = doc.kind(key.token);
    const size = doc.size(key.token);
    const summary =
      kind === 'int'
        ? String(doc.int(key.token))
        : kind === 'bytes'
          ? plural(size, 'byte')
          : kind === 'list'
            ? plural(size, 'item')
            : plural(size, 'entry', 'entries');
    const span: [number, number] = [doc.start(key.token), doc.end(key.token)];
    return {
      icon: 'key',
      label: shownText(key.key),
      value: plainText(`${kind} · ${summary}`),
      detail: key.parent === 'root' ? 'top level' : 'in info',
      detailTitle: `bytes ${formatSpan(span[0], span[1])}${key.parent === 'info' ? '; part of the info hash' : ''}`,
      span,
      // Keys inside the info dictionary are part of the info hash: only top-level ones can go.
      actions: editable && key.parent === 'root' ? ['reveal', 'remove'] : ['reveal'],
    };
  });
}

export function diagnosticView(d: Problem): DiagnosticView {
  const view: DiagnosticView = { severity: d.severity, code: d.code, message: d.message };
  if (d.offset !== undefined) view.offset = d.offset;
  if (d.location !== undefined) view.location = d.location;
  return view;
}

const SEVERITY_WORDS = { error: 'Error', warning: 'Warning', info: 'Note' } as const;

export function problemsModel(diagnostics: readonly Problem[]): FlatListModel<Problem> {
  return new FlatListModel(diagnostics, (d) => ({
    icon: d.severity,
    tone: d.severity,
    label: shownText({ text: d.message, utf8: true }),
    value: d.location !== undefined ? shownText({ text: d.location, utf8: true }) : undefined,
    title: `${SEVERITY_WORDS[d.severity]}: ${d.message}${d.location !== undefined ? ` (${d.location})` : ''}`,
    detail: d.offset !== undefined ? `byte ${formatCount(d.offset)}` : undefined,
    detailTitle: d.offset !== undefined ? `Byte ${formatCount(d.offset)} of the file: show it in the raw tree` : undefined,
    actions: d.offset !== undefined ? ['reveal'] : undefined,
  }));
}

/** A problem in one line, for VS Code's Problems view: the message, where in the torrent, and the byte. */
export function problemLine(d: Problem): string {
  const where = [d.location, d.offset !== undefined ? `byte ${formatCount(d.offset)}` : undefined].filter((part) => part !== undefined);
  return where.length > 0 ? `${d.message} (${where.join(', ')})` : d.message;
}
