// The editor's host side on one torrent, in a fresh process (started by bench/main.ts):
//   node out/bench/editor-child.mjs FILE VIEWPORT_ROWS
// Runs what the extension does between "open" and the webview's first rows — read the file, parse it
// (parseMetainfoAsync, as the extension does), prepare the first snapshot (while VS Code loads the
// webview), answer the webview's init — with the editor's own host modules, then the requests a
// scrolling webview makes. Prints one JSON line: stage times (first time in this process, then warm)
// and message sizes.
import { readFileSync } from 'node:fs';
import { parseMetainfoAsync } from '../src/core/metainfo/parse';
import { ParsedTorrent } from '../src/view-model/editor/parsed-torrent';
import { EditorSession, type SessionHost } from '../src/view-model/editor/session';
import type { Envelope } from '../src/shared/messaging';
import type { FilesViewReply, RowsReply, Snapshot, TreeChange, TreeRow } from '../src/shared/protocol/editor';

export interface EditorChildResult {
  /**
   * First open in this process (ms): read, parse, what the editor prepares while the webview loads,
   * and the reply to the webview's init (the first snapshot).
   */
  cold: { readMs: number; parseMs: number; prepareMs: number; snapshotMs: number };
  /** Later opens of the same file (a fresh session each), ms. */
  warm: { readMs: number[]; parseMs: number[]; prepareMs: number[]; snapshotMs: number[] };
  snapshotBytes: number;
  snapshotRows: number;
  /** A page of file rows as the webview asks for it when scrolled to a new place. */
  pageBytes: number;
  pageRows: number;
  pageMs: number;
  /** The reply to expanding a folder of 10 subfolders. */
  expandBytes: number;
  /** The raw bencode tree: the first snapshot of that tab, and a page inside `info.files`. */
  rawPageBytes: number;
  rawPageRows: number;
  fileCount: number;
  /**
   * The files filter, as the webview asks for it (a query, then the first rows of the filtered tree), ms: the
   * first query of a file (it builds the search over every path), later queries matching a few files (one
   * for each file name), and a query every file matches (every folder opens).
   */
  filter: { firstMs: number; fewMs: number[]; fewMatches: number; allMs: number[]; allMatches: number; replyBytes: number };
}

const [file, viewportText] = process.argv.slice(2);
const viewportRows = Number(viewportText);
/** What the webview's virtual list asks for when it scrolls to rows it has not seen: the rows in view and 10 either side. */
const pageRows = viewportRows + 1 + 2 * 10;

// The session's outside world: nothing here copies, opens editors or contacts trackers.
const host: SessionHost = {
  writeClipboard: async () => {},
  trackerCommand: async () => {},
  openAsText: async () => {},
  rawEditor: () => 'text',
  openExternal: async () => {},
  showSecretsSetting: () => false,
};

/** Bytes of a message as it crosses to the webview: the reply envelope, as JSON. */
function messageBytes(id: number, body: unknown): number {
  const envelope: Envelope = { kind: 'reply', id, body } as Envelope;
  return Buffer.byteLength(JSON.stringify(envelope));
}

async function open(): Promise<{
  readMs: number;
  parseMs: number;
  prepareMs: number;
  snapshotMs: number;
  session: EditorSession;
  snapshot: Snapshot;
}> {
  let started = performance.now();
  const bytes = new Uint8Array(readFileSync(file));
  const readMs = performance.now() - started;
  started = performance.now();
  const parsed = await ParsedTorrent.parse(1, bytes, parseMetainfoAsync);
  const parseMs = performance.now() - started;
  if (!parsed.metainfo) throw new Error(`${file}: ${parsed.failure?.message}`);
  started = performance.now();
  const session = new EditorSession(host, parsed, file.slice(file.lastIndexOf('/') + 1));
  session.prepare();
  const prepareMs = performance.now() - started;
  started = performance.now();
  const snapshot = (await session.handle({ type: 'init', viewportRows })) as Snapshot;
  const snapshotMs = performance.now() - started;
  return { readMs, parseMs, prepareMs, snapshotMs, session, snapshot };
}

async function main(): Promise<void> {
  const first = await open();
  const { session, snapshot } = first;
  const warm: EditorChildResult['warm'] = { readMs: [], parseMs: [], prepareMs: [], snapshotMs: [] };
  for (let i = 0; i < 5; i++) {
    const again = await open();
    warm.readMs.push(again.readMs);
    warm.parseMs.push(again.parseMs);
    warm.prepareMs.push(again.prepareMs);
    warm.snapshotMs.push(again.snapshotMs);
  }

  // Open the first folder and its subfolders, as a user does, then scroll into the files.
  const rows = (start: number, count: number, tree: 'files' | 'raw' = 'files') =>
    session.handle({ type: 'getRows', version: snapshot.version, tree, start, count }) as Promise<RowsReply>;
  const top = await rows(0, 200);
  const folder = top.rows.find((r: TreeRow) => r.expandable && !r.expanded);
  let expandBytes = 0;
  if (folder) {
    const expanded = (await session.handle({
      type: 'setExpanded',
      version: snapshot.version,
      tree: 'files',
      id: folder.id,
      expanded: true,
    })) as TreeChange;
    expandBytes = messageBytes(3, expanded);
    const inside = await rows(0, 500);
    for (const sub of inside.rows.filter((r) => r.expandable && !r.expanded && r.level > folder.level)) {
      await session.handle({ type: 'setExpanded', version: snapshot.version, tree: 'files', id: sub.id, expanded: true });
    }
  }
  const filesTotal = (await rows(0, 1)).total;
  const started = performance.now();
  const page = await rows(Math.max(0, Math.min(400, filesTotal - pageRows)), pageRows);
  const pageMs = performance.now() - started;
  if (page.rows.length !== Math.min(pageRows, filesTotal)) throw new Error(`a page had ${page.rows.length} rows, not ${pageRows}`);

  // The raw tree: open info and its files list, then a page in the middle of it.
  const rawFirst = await rows(0, 50, 'raw');
  const info = rawFirst.rows.find((r) => r.label.text === 'info');
  if (info && !info.expanded)
    await session.handle({ type: 'setExpanded', version: snapshot.version, tree: 'raw', id: info.id, expanded: true });
  const rawInfo = await rows(0, 80, 'raw');
  const filesRow = rawInfo.rows.find((r) => r.label.text === 'files' && r.expandable);
  let rawTotal = rawInfo.total;
  if (filesRow) {
    await session.handle({ type: 'setExpanded', version: snapshot.version, tree: 'raw', id: filesRow.id, expanded: true });
    // Long lists come in groups: open the first group below the list too.
    const listed = await rows(0, 80, 'raw');
    const group = listed.rows.find((r) => r.expandable && !r.expanded && r.level > filesRow.level);
    const afterGroup = group
      ? ((await session.handle({
          type: 'setExpanded',
          version: snapshot.version,
          tree: 'raw',
          id: group.id,
          expanded: true,
        })) as TreeChange)
      : undefined;
    rawTotal = afterGroup?.total ?? listed.total;
  }
  const rawPage = await rows(Math.max(0, Math.floor(rawTotal / 2) - (pageRows >> 1)), pageRows, 'raw');

  const filter = await timeFilter(session, snapshot.version);

  const result: EditorChildResult = {
    cold: { readMs: first.readMs, parseMs: first.parseMs, prepareMs: first.prepareMs, snapshotMs: first.snapshotMs },
    warm,
    snapshotBytes: messageBytes(1, snapshot),
    snapshotRows: snapshot.rows.rows.length,
    pageBytes: messageBytes(2, page),
    pageRows: page.rows.length,
    pageMs,
    expandBytes,
    rawPageBytes: messageBytes(4, rawPage),
    rawPageRows: rawPage.rows.length,
    fileCount: snapshot.overview?.fileCount ?? 0,
    filter,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/**
 * Times the files filter: queries that are names of files in view without their extension (a few files
 * match), then one that every file matches (`.`: every name here has an extension), each answered with
 * the first rows of the filtered tree, as the webview asks.
 */
async function timeFilter(session: EditorSession, version: number): Promise<EditorChildResult['filter']> {
  const ask = async (query: string) => {
    const started = performance.now();
    const reply = (await session.handle({ type: 'setFilesView', version, query, sort: 'torrent', viewportRows })) as FilesViewReply;
    return { ms: performance.now() - started, reply };
  };
  const top = (await session.handle({ type: 'getRows', version, tree: 'files', start: 0, count: 200 })) as RowsReply;
  const names = top.rows.filter((r) => r.icon === 'file').map((r) => r.label.text.replace(/\.[^.]*$/, ''));
  const queries = (names.length > 0 ? names : [top.rows[0].label.text]).slice(0, 5);
  const first = await ask(queries[0]);
  const fewMs: number[] = [];
  let fewMatches = first.reply.filesView.matches ?? 0;
  for (const query of [...queries, ...queries]) {
    const { ms, reply } = await ask(query);
    fewMs.push(ms);
    fewMatches = reply.filesView.matches ?? 0;
  }
  const allMs: number[] = [];
  let allMatches = 0;
  for (let i = 0; i < 4; i++) {
    // Cleared in between, so that each time every folder opens anew.
    await ask('');
    const { ms, reply } = await ask('.');
    allMs.push(ms);
    allMatches = reply.filesView.matches ?? 0;
  }
  return {
    firstMs: first.ms,
    fewMs,
    fewMatches,
    allMs,
    allMatches,
    replyBytes: messageBytes(5, first.reply),
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
