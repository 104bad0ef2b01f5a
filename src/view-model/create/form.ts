// The Create Torrent form without VS Code: its defaults, the check of every field (the core's own checks,
// which the command line uses too), the preview of the pieces each piece length gives, and the options
// createTorrent gets. The host (src/extension/create) only connects it to the webview and the file system.

import { countPieces, type ContentListing, type CreateOptions } from '../../core/create/create';
import { nameProblem, trackerUrlProblem, webSeedUrlProblem } from '../../core/create/options';
import { automaticPieceLength, pieceLengthProblem } from '../../core/create/piece-length';
import type { ContentPreview, CreateField, CreateFormState, FieldProblem, TorrentVersionChoice } from '../../shared/protocol/create';

/** The piece lengths the form offers besides automatic: 16 KiB to 64 MiB. */
export const PIECE_LENGTH_CHOICES: readonly number[] = Array.from({ length: 13 }, (_, i) => 16384 * 2 ** i);

export function defaultFormState(name: string): CreateFormState {
  return {
    version: 'hybrid',
    pieceLength: 'auto',
    trackers: '',
    webSeeds: '',
    private: false,
    source: '',
    comment: '',
    name,
    includeHidden: false,
    exclude: '',
    symlinks: 'skip',
    createdBy: true,
    creationDate: true,
  };
}

/** Non-empty lines, with their line numbers (from 1). */
function lines(text: string): { line: number; text: string }[] {
  return text
    .split(/\r?\n/)
    .map((t, i) => ({ line: i + 1, text: t.trim() }))
    .filter((l) => l.text !== '');
}

/** Tracker tiers from the field: one URL per line, an empty line between tiers. */
export function trackerTiers(text: string): string[][] {
  const tiers: string[][] = [[]];
  for (const raw of text.split(/\r?\n/)) {
    const url = raw.trim();
    if (url === '') {
      if (tiers[tiers.length - 1].length > 0) tiers.push([]);
    } else tiers[tiers.length - 1].push(url);
  }
  return tiers.filter((tier) => tier.length > 0);
}

/** The first problem of a multi-line field, with its line. */
function firstLineProblem(text: string, problemOf: (line: string) => string | undefined): FieldProblem | undefined {
  for (const { line, text: value } of lines(text)) {
    const message = problemOf(value);
    if (message) return { message: `line ${line}: ${message}`, line };
  }
  return undefined;
}

/** Each field's problem, as the core would refuse it; an empty object when the torrent can be made. */
export function checkForm(state: CreateFormState): Partial<Record<CreateField, FieldProblem>> {
  const problems: Partial<Record<CreateField, FieldProblem>> = {};
  const name = nameProblem(state.name);
  if (name) problems.name = { message: name };
  if (state.pieceLength !== 'auto') {
    const pieceLength = pieceLengthProblem(state.pieceLength);
    if (pieceLength) problems.pieceLength = { message: pieceLength };
  }
  const trackers = firstLineProblem(state.trackers, trackerUrlProblem);
  if (trackers) problems.trackers = trackers;
  const webSeeds = firstLineProblem(state.webSeeds, webSeedUrlProblem);
  if (webSeeds) problems.webSeeds = webSeeds;
  return problems;
}

/** The preview of a listing: its size and the pieces each offered piece length (and automatic) gives. */
export function previewOf(listing: ContentListing, version: TorrentVersionChoice): ContentPreview {
  const autoPieceLength = automaticPieceLength(listing.totalLength);
  const pieceCounts: Record<number, number> = {};
  for (const length of new Set([...PIECE_LENGTH_CHOICES, autoPieceLength]))
    pieceCounts[length] = countPieces(listing.sizes, listing.single, version, length);
  return {
    state: 'ready',
    fileCount: listing.fileCount,
    totalLength: listing.totalLength,
    skippedCount: listing.skippedCount,
    autoPieceLength,
    pieceCounts,
  };
}

/** What changes the listing (and so its preview): the other fields only change the piece counts. */
export function listingKey(state: CreateFormState): string {
  return JSON.stringify([state.includeHidden, lines(state.exclude).map((l) => l.text), state.symlinks]);
}

/** The options createTorrent gets for the form (checked with `checkForm` first). */
export function createOptionsOf(state: CreateFormState, path: string): CreateOptions {
  const text = (value: string) => (value.trim() === '' ? undefined : value.trim());
  return {
    path,
    version: state.version,
    pieceLength: state.pieceLength === 'auto' ? undefined : state.pieceLength,
    name: state.name,
    trackers: trackerTiers(state.trackers),
    webSeeds: lines(state.webSeeds).map((l) => l.text),
    private: state.private,
    source: text(state.source),
    comment: text(state.comment),
    includeHidden: state.includeHidden,
    exclude: lines(state.exclude).map((l) => l.text),
    symlinks: state.symlinks,
    createdBy: state.createdBy ? undefined : false,
    creationDate: state.creationDate ? undefined : false,
  };
}
