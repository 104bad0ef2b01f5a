// The hover of a magnet link or an info hash in a text file, as Markdown: what it is (hashes in hex and base32,
// name, trackers, web seeds, peers), with links that open it in Torrent Lens or copy it. The text comes from a
// document, so none of it is read as Markdown: every piece of it sits in a code span (escaped, cut short), and the
// only links are command links to our own commands, with arguments made here. No `vscode`: the extension wraps
// the text in a MarkdownString trusted for `HOVER_COMMANDS` only.

import { magnetForHash, type Mention } from '../../core/magnet/scan';
import { hashForms, magnetSecrets, magnetSummary } from '../../core/magnet/summary';
import { visibleText } from '../../core/text/display';
import { formatCount, formatSize } from '../../shared/format';

export const OPEN_MAGNET_COMMAND = 'torrentLens.openMagnet';
export const COPY_TEXT_COMMAND = 'torrentLens.copyText';
/** The only commands a hover may run. */
export const HOVER_COMMANDS: readonly string[] = [OPEN_MAGNET_COMMAND, COPY_TEXT_COMMAND];

/** Longest text shown in one piece; the rest is cut (the actions still carry it whole). */
const MAX_SHOWN = 200;
/** Most trackers, web seeds or peers listed. */
const MAX_LISTED = 8;
/** A link longer than this is not put into a command link (the hover would carry it twice). */
const MAX_LINK_IN_ACTION = 16 * 1024;

/** Document text as an inline code span: printable, cut short, fenced by more backticks than it holds. */
export function code(text: string): string {
  let shown = visibleText(text);
  if (shown.length > MAX_SHOWN) shown = `${shown.slice(0, MAX_SHOWN - 1)}…`;
  const longestRun = Math.max(0, ...(shown.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  // A space keeps a backtick at either end from joining the fence (CommonMark strips one space each side).
  const pad = shown.startsWith('`') || shown.endsWith('`') || shown === '' ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/** A link that runs one of HOVER_COMMANDS with these arguments; the label is ours, never document text. */
export function commandLink(label: string, command: string, args: unknown[]): string {
  // Markdown ends a link destination at an unbalanced parenthesis: encode them as well.
  const encoded = encodeURIComponent(JSON.stringify(args)).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[${label}](command:${command}?${encoded})`;
}

function listLine(label: string, items: string[]): string {
  const shown = items.slice(0, MAX_LISTED).map(code).join(', ');
  const more = items.length > MAX_LISTED ? `, and ${formatCount(items.length - MAX_LISTED)} more` : '';
  return `${label} (${formatCount(items.length)}): ${shown}${more}`;
}

/** The hover of a mention, as Markdown lines joined into paragraphs. */
export function mentionHover(mention: Mention, showSecrets: boolean): string {
  const lines: string[] = [];
  if (mention.kind === 'magnet') {
    if (!mention.parsed.ok) {
      lines.push('**Magnet link that Torrent Lens cannot use**', `${code(mention.parsed.error.message)}`);
      return lines.join('\n\n');
    }
    const magnet = mention.parsed.magnet;
    const secrets = magnetSecrets(magnet, { show: showSecrets });
    const summary = magnetSummary(magnet, secrets);
    lines.push(`**Magnet link**${summary.name !== undefined ? ` ${code(summary.name)}` : ''}`);
    lines.push(...hashLines(magnet.infoHash));
    if (summary.trackers.length > 0) lines.push(listLine('Trackers', summary.trackers));
    if (summary.webSeeds.length > 0) lines.push(listLine('Web seeds', summary.webSeeds));
    if (summary.peers.length > 0) lines.push(listLine('Peers', summary.peers));
    if (summary.exactLength !== undefined)
      lines.push(`Length: ${formatSize(summary.exactLength)} (${formatCount(summary.exactLength)} bytes)`);
    const actions = [];
    if (mention.text.length <= MAX_LINK_IN_ACTION) {
      actions.push(commandLink('$(cloud-download) Open in Torrent Lens', OPEN_MAGNET_COMMAND, [mention.text]));
      actions.push(commandLink('$(copy) Copy link', COPY_TEXT_COMMAND, [mention.text, 'magnet link']));
    }
    actions.push(...copyHashActions(magnet.infoHash));
    lines.push(actions.join(' · '));
    return lines.join('\n\n');
  }
  const { v1, v2 } = mention.infoHash;
  lines.push(
    v1 !== undefined
      ? mention.form === 'urn'
        ? '**BitTorrent v1 info hash**'
        : '**40 hex digits**: a BitTorrent v1 info hash, or another SHA-1 (a Git commit, a checksum)'
      : mention.form === 'urn'
        ? '**BitTorrent v2 info hash**'
        : '**64 hex digits**: a BitTorrent v2 info hash, or another SHA-256 (a checksum)',
  );
  lines.push(...hashLines(mention.infoHash));
  lines.push(
    [
      commandLink('$(cloud-download) Open as a magnet link', OPEN_MAGNET_COMMAND, [magnetForHash({ v1, v2 })]),
      commandLink('$(copy) Copy magnet link', COPY_TEXT_COMMAND, [magnetForHash({ v1, v2 }), 'magnet link']),
      ...copyHashActions(mention.infoHash),
    ].join(' · '),
  );
  return lines.join('\n\n');
}

function hashLines(infoHash: { v1?: string; v2?: string }): string[] {
  const forms = hashForms(infoHash);
  const lines: string[] = [];
  if (forms.v1) lines.push(`v1: ${code(forms.v1.hex)}  \nbase32: ${code(forms.v1.base32)}`);
  if (forms.v2) lines.push(`v2: ${code(forms.v2.hex)}  \ntruncated (as trackers and peers see it): ${code(forms.v2.truncated)}`);
  return lines;
}

function copyHashActions(infoHash: { v1?: string; v2?: string }): string[] {
  const forms = hashForms(infoHash);
  const actions: string[] = [];
  if (forms.v1) {
    actions.push(commandLink('Copy v1 hex', COPY_TEXT_COMMAND, [forms.v1.hex, 'v1 info hash']));
    actions.push(commandLink('Copy base32', COPY_TEXT_COMMAND, [forms.v1.base32, 'v1 info hash (base32)']));
  }
  if (forms.v2) actions.push(commandLink('Copy v2 hex', COPY_TEXT_COMMAND, [forms.v2.hex, 'v2 info hash']));
  return actions;
}
