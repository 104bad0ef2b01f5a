// Section 2, host side: what the extension does between "open" and the first rows (read, parse, prepare
// the first snapshot while the webview loads, answer its init), with the editor's own host modules, and
// the size of every message it sends the webview.
import { join } from 'node:path';
import type { EditorChildResult } from '../editor-child';
import type { BenchInput } from '../lib/inputs';
import { runProcess } from '../lib/processes';
import { formatCount } from '../../src/shared/format';
import { bytes, msSummary, summarise, table, type Summary } from '../lib/stats';

/** Rows in the webview's viewport at the harness's window size (900 px high, 22 px rows). */
export const VIEWPORT_ROWS = 41;

export interface EditorHostFigures {
  input: BenchInput;
  coldRead: Summary;
  coldParse: Summary;
  coldPrepare: Summary;
  coldSnapshot: Summary;
  coldTotal: Summary;
  warmRead: Summary;
  warmParse: Summary;
  warmPrepare: Summary;
  warmSnapshot: Summary;
  warmTotal: Summary;
  page: Summary;
  snapshotBytes: number;
  snapshotRows: number;
  pageBytes: number;
  pageRows: number;
  expandBytes: number;
  rawPageBytes: number;
  rawPageRows: number;
  filterFirst: Summary;
  filterFew: Summary;
  filterFewMatches: number;
  filterAll: Summary;
  filterAllMatches: number;
  filterReplyBytes: number;
}

export async function runEditorHost(
  childDir: string,
  inputs: BenchInput[],
  processes: number,
  log: (line: string) => void,
): Promise<EditorHostFigures[]> {
  const child = join(childDir, 'editor-child.mjs');
  const out: EditorHostFigures[] = [];
  for (const input of inputs) {
    log(`editor host: ${input.label}`);
    const results: EditorChildResult[] = [];
    for (let i = 0; i < processes; i++) {
      const run = await runProcess(process.execPath, [child, input.path, String(VIEWPORT_ROWS)], { keepStdout: true });
      if (run.exitCode !== 0) throw new Error(`editor host on ${input.id} failed: ${run.stderr.trim()}`);
      results.push(JSON.parse(run.stdout.trim().split('\n').pop()!) as EditorChildResult);
    }
    const warm = (pick: (r: EditorChildResult) => number[]) => summarise(results.flatMap(pick));
    const first = results[0];
    out.push({
      input,
      coldRead: summarise(results.map((r) => r.cold.readMs)),
      coldParse: summarise(results.map((r) => r.cold.parseMs)),
      coldPrepare: summarise(results.map((r) => r.cold.prepareMs)),
      coldSnapshot: summarise(results.map((r) => r.cold.snapshotMs)),
      coldTotal: summarise(results.map((r) => r.cold.readMs + r.cold.parseMs + r.cold.prepareMs + r.cold.snapshotMs)),
      warmRead: warm((r) => r.warm.readMs),
      warmParse: warm((r) => r.warm.parseMs),
      warmPrepare: warm((r) => r.warm.prepareMs),
      warmSnapshot: warm((r) => r.warm.snapshotMs),
      warmTotal: warm((r) => r.warm.readMs.map((read, i) => read + r.warm.parseMs[i] + r.warm.prepareMs[i] + r.warm.snapshotMs[i])),
      page: summarise(results.map((r) => r.pageMs)),
      snapshotBytes: first.snapshotBytes,
      snapshotRows: first.snapshotRows,
      pageBytes: first.pageBytes,
      pageRows: first.pageRows,
      expandBytes: first.expandBytes,
      rawPageBytes: first.rawPageBytes,
      rawPageRows: first.rawPageRows,
      filterFirst: summarise(results.map((r) => r.filter.firstMs)),
      filterFew: warm((r) => r.filter.fewMs),
      filterFewMatches: first.filter.fewMatches,
      filterAll: warm((r) => r.filter.allMs),
      filterAllMatches: first.filter.allMatches,
      filterReplyBytes: first.filter.replyBytes,
    });
  }
  return out;
}

export function editorHostTables(figures: EditorHostFigures[]): string {
  const timing = figures.flatMap((f) => [
    [
      f.input.label,
      'first open in the process',
      msSummary(f.coldRead),
      msSummary(f.coldParse),
      msSummary(f.coldPrepare),
      msSummary(f.coldSnapshot),
      msSummary(f.coldTotal),
    ],
    [
      f.input.label,
      'later opens',
      msSummary(f.warmRead),
      msSummary(f.warmParse),
      msSummary(f.warmPrepare),
      msSummary(f.warmSnapshot),
      msSummary(f.warmTotal),
    ],
  ]);
  const sizes = figures.map((f) => [
    f.input.label,
    bytes(f.input.bytes),
    `${bytes(f.snapshotBytes)} (${f.snapshotRows} rows)`,
    `${bytes(f.pageBytes)} (${f.pageRows} rows)`,
    `${bytes(f.rawPageBytes)} (${f.rawPageRows} rows)`,
    bytes(f.expandBytes),
    msSummary(f.page),
  ]);
  return [
    table(
      ['input', 'when', 'read', 'parse', 'prepare (while the webview loads)', 'init → first snapshot', 'all of it, one after another'],
      timing,
    ),
    '',
    table(
      ['input', 'file', 'first message (snapshot)', 'scroll page, files', 'scroll page, raw tree', 'expand reply', 'page build time'],
      sizes,
    ),
    '',
    'The files filter: the request the webview sends when typing pauses, answered with the first rows of the filtered tree:',
    '',
    table(
      ['input', 'first query of the file (builds the search)', 'a file name (matches)', 'every file matches (all folders open)', 'reply'],
      figures.map((f) => [
        f.input.label,
        msSummary(f.filterFirst),
        `${msSummary(f.filterFew)} (${formatCount(f.filterFewMatches)})`,
        `${msSummary(f.filterAll)} (${formatCount(f.filterAllMatches)})`,
        bytes(f.filterReplyBytes),
      ]),
    ),
  ].join('\n');
}
