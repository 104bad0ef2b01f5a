// Section 2 in a real VS Code, and the activation time of section 4: bench/vscode/editor-in-vscode.mjs in
// fresh code-server sessions (each its own process, profile and browser).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runProcess } from '../lib/processes';
import { bytes, msSummary, summarise, table, type Summary } from '../lib/stats';

export interface OpenPhases {
  webviewFrame: number;
  contentFrame: number;
  documentWritten: number;
  firstMessage: number;
  firstRows: number;
}

export interface SessionResult {
  firstOpen: OpenPhases;
  reopens: OpenPhases[];
  hostLog: { readMs: number; parseMs: number }[];
  firstMessages: number[];
  scrollMessages: number[];
  domRows: number;
  domNodes: number;
  domRowsAfterScroll: number;
  visibleRowsAfterScroll: number;
  activation: { text: string; ms: number };
  /** Milliseconds for VS Code's webview loader to fetch its blank page, per new webview. */
  loaderFetches: { torrent: number[]; imagePreview: number[] };
  /** A tracker edited in place and saved: Enter → the tree shows it, → Ctrl+S → the file replaced, and Enter → saved. */
  edits: { shown: number; saved: number; total: number }[];
  dialogs: string[];
}

export interface VsCodeFigures {
  sessions: SessionResult[];
  firstOpen: Summary;
  reopen: Summary;
  /** Reopen phases: VS Code's webview loader (our frame created → our page written into it). */
  reopenLoader: Summary;
  firstOpenLoader: Summary;
  activation: Summary;
  hostRead: Summary;
  hostParse: Summary;
  firstMessageBytes: Summary;
  scrollMessageBytes: Summary;
  scrollMessageCount: number;
  domRows: number;
  domNodes: number;
  domRowsAfterScroll: number;
  /** The loader's fetch for our editor's first webview in a window, for later ones, and for VS Code's image preview. */
  loaderFirst: Summary;
  loaderLater: Summary;
  loaderImagePreview: Summary;
  editShown: Summary;
  editSaved: Summary;
  editTotal: Summary;
  errors: string[];
}

export async function runVsCode(
  repoRoot: string,
  vsix: string,
  torrent: string,
  sessions: number,
  reopens: number,
  log: (line: string) => void,
): Promise<VsCodeFigures | { skipped: string }> {
  if (!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'))
    return { skipped: 'Chromium is not installed (Debian chromium, or set CHROMIUM_PATH)' };
  const script = join(repoRoot, 'bench', 'vscode', 'editor-in-vscode.mjs');
  const results: SessionResult[] = [];
  const errors: string[] = [];
  for (let i = 0; i < sessions; i++) {
    log(`VS Code: session ${i + 1} of ${sessions}`);
    const run = await runProcess(process.execPath, [script, '--vsix', vsix, '--torrent', torrent, '--opens', String(reopens)], {
      keepStdout: true,
      timeoutMs: 300_000,
    });
    const line = run.stdout.trim().split('\n').pop() ?? '';
    if (run.exitCode !== 0 || !line.startsWith('{')) {
      errors.push(run.stderr.trim().split('\n').slice(-3).join(' ') || `exit ${run.exitCode}`);
      continue;
    }
    results.push(JSON.parse(line) as SessionResult);
  }
  if (results.length === 0) return { skipped: `every VS Code session failed: ${errors[0]}` };
  const reopenPhases = results.flatMap((r) => r.reopens);
  const scroll = results.flatMap((r) => r.scrollMessages);
  return {
    sessions: results,
    firstOpen: summarise(results.map((r) => r.firstOpen.firstRows)),
    reopen: summarise(reopenPhases.map((p) => p.firstRows)),
    reopenLoader: summarise(reopenPhases.map((p) => p.documentWritten - p.contentFrame)),
    firstOpenLoader: summarise(results.map((r) => r.firstOpen.documentWritten - r.firstOpen.contentFrame)),
    activation: summarise(results.map((r) => r.activation.ms).filter((ms) => ms >= 0)),
    hostRead: summarise(results.flatMap((r) => r.hostLog.map((h) => h.readMs))),
    hostParse: summarise(results.flatMap((r) => r.hostLog.map((h) => h.parseMs))),
    firstMessageBytes: summarise(results.flatMap((r) => r.firstMessages)),
    scrollMessageBytes: summarise(scroll),
    scrollMessageCount: Math.round(scroll.length / results.length),
    domRows: Math.max(...results.map((r) => r.domRows)),
    domNodes: Math.max(...results.map((r) => r.domNodes)),
    domRowsAfterScroll: Math.max(...results.map((r) => r.domRowsAfterScroll)),
    loaderFirst: summarise(results.map((r) => r.loaderFetches.torrent[0]).filter((v) => v !== undefined)),
    loaderLater: summarise(results.flatMap((r) => r.loaderFetches.torrent.slice(1))),
    loaderImagePreview: summarise(results.flatMap((r) => r.loaderFetches.imagePreview)),
    editShown: summarise(results.flatMap((r) => r.edits.map((e) => e.shown))),
    editSaved: summarise(results.flatMap((r) => r.edits.map((e) => e.saved))),
    editTotal: summarise(results.flatMap((r) => r.edits.map((e) => e.total))),
    errors,
  };
}

function phaseRow(label: string, phases: OpenPhases[]): string[] {
  const s = (pick: (p: OpenPhases) => number) => msSummary(summarise(phases.map(pick)));
  return [
    label,
    String(phases.length),
    s((p) => p.contentFrame),
    s((p) => p.documentWritten - p.contentFrame),
    s((p) => p.firstMessage - p.documentWritten),
    s((p) => p.firstRows - p.firstMessage),
    s((p) => p.firstRows),
  ];
}

export function vsCodeTables(f: VsCodeFigures): string {
  const phases = table(
    [
      'open',
      'runs',
      'Enter → our frame (VS Code + read + parse)',
      'VS Code webview loader',
      'page load → first message',
      'first message → rows',
      'Enter → first rows',
    ],
    [
      phaseRow(
        'first open in a window (activates the extension)',
        f.sessions.map((s) => s.firstOpen),
      ),
      phaseRow(
        'reopen after closing the editor',
        f.sessions.flatMap((s) => s.reopens),
      ),
    ],
  );
  const other = table(
    ['figure', 'value'],
    [
      ['read, as logged by the extension (all opens)', msSummary(f.hostRead)],
      ['parse, as logged by the extension (all opens)', msSummary(f.hostParse)],
      ['first message to the webview (snapshot)', bytes(f.firstMessageBytes.median)],
      [
        `messages while scrolling (${f.scrollMessageCount} per session: expand replies and row pages)`,
        `${bytes(f.scrollMessageBytes.median)} median, ${bytes(f.scrollMessageBytes.max)} max`,
      ],
      ['tree rows in the webview DOM (after open / after scrolling)', `${f.domRows} / ${f.domRowsAfterScroll}`],
      ['DOM elements in the webview after open', String(f.domNodes)],
      ["VS Code's webview loader: fetch of its blank page, our editor's first webview in a window", msSummary(f.loaderFirst)],
      ['… our editor, later webviews', msSummary(f.loaderLater)],
      ["… VS Code's own image preview (control, no code of ours)", msSummary(f.loaderImagePreview)],
      ['a tracker edited in place: Enter → the tree shows it (edit, parse, snapshot)', msSummary(f.editShown)],
      ['… then Ctrl+S → the file replaced on disk (atomic save)', msSummary(f.editSaved)],
      ['… Enter → saved file (the same without VS Code: the editing section, in process)', msSummary(f.editTotal)],
    ],
  );
  return [phases, '', other].join('\n');
}
