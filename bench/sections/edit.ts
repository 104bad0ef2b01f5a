// Section: editing torrents. Bulk: one `torrent-lens edit --in-place` process over 1,000 torrents (copies of the
// corpus), side by side with `transmission-edit` on the same copies, and how many info hashes each changed.
// Large: a tracker of the 100,000-file torrent edited and saved, in process (from the applyEdit call to the saved
// file, the document already decoded as the editor holds it) and as whole processes beside transmission-edit.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { decode } from '../../src/core/bencode/decode';
import { applyEdit } from '../../src/core/edit/apply';
import { writeFileAtomic } from '../../src/core/edit/atomic-write';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import type { BenchInput } from '../lib/inputs';
import { runProcess, which } from '../lib/processes';
import { bytes, bytesSummary, ms, msSummary, summarise, table, type Summary, type Target } from '../lib/stats';

export const BULK_COUNT = 1000;
const NEW_TRACKER = 'udp://tracker.example:6969/announce';

export interface EditBenchOptions {
  cliPath: string;
  /** A scratch folder of the bench's own. */
  workDir: string;
  corpusDir: string;
  large: BenchInput;
  runs: number;
  gnuTime: boolean;
  log: (line: string) => void;
}

interface ProcessFigures {
  name: string;
  wall: Summary;
  peak: Summary;
  /** Of the torrents edited, how many have another info hash afterwards (as libtorrent computes it). */
  hashesChanged: number;
  note?: string;
}

export interface BulkFigures {
  task: string;
  torrents: number;
  contenders: ProcessFigures[];
}

export interface LargeFigures {
  label: string;
  bytes: number;
  /** Decoding the torrent once, before the edits (the editor has it decoded already). */
  decode: Summary;
  /** The applyEdit call: splices, new bytes, inverse. */
  edit: Summary;
  /** writeFileAtomic: temporary file, write, fsync, rename, fsync of the folder. */
  save: Summary;
  /** From the applyEdit call to the saved file. */
  editToSaved: Summary;
  processes: ProcessFigures[];
}

export interface EditFigures {
  bulk: BulkFigures[];
  large: LargeFigures;
}

/** The v1 info hash of a file as Torrent Lens (and libtorrent) compute it: over the original info bytes. */
function infoHashOf(file: string): string | undefined {
  const result = parseMetainfo(new Uint8Array(readFileSync(file)));
  return result.ok ? (result.metainfo.infoHash.v1 ?? result.metainfo.infoHash.v2) : undefined;
}

/** 1,000 corpus torrents, round robin over every one that reads as a torrent. */
function bulkSources(corpusDir: string): { path: string; hash: string }[] {
  const truth = JSON.parse(readFileSync(join(corpusDir, 'truth.json'), 'utf8')) as { torrents: Record<string, unknown> };
  const sources = Object.keys(truth.torrents).flatMap((name) => {
    const path = join(corpusDir, name);
    const hash = infoHashOf(path);
    return hash ? [{ path, hash }] : [];
  });
  if (sources.length === 0) throw new Error(`no torrents in ${corpusDir}`);
  return Array.from({ length: BULK_COUNT }, (_, i) => sources[i % sources.length]);
}

/** Fresh copies of the sources in `dir`, named so that they do not clash. */
function copies(dir: string, sources: { path: string }[]): string[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return sources.map((source, i) => {
    const file = join(dir, `${String(i).padStart(4, '0')}-${basename(source.path)}`);
    copyFileSync(source.path, file);
    return file;
  });
}

async function timeProcesses(
  name: string,
  command: string,
  args: (files: string[]) => string[],
  prepare: () => string[],
  hashes: string[],
  options: EditBenchOptions,
): Promise<ProcessFigures> {
  const walls: number[] = [];
  const peaks: number[] = [];
  let hashesChanged = 0;
  for (let run = 0; run < options.runs; run++) {
    const files = prepare();
    const result = await runProcess(command, args(files), { gnuTime: options.gnuTime, timeoutMs: 600_000 });
    if (result.exitCode !== 0) {
      return {
        name,
        wall: summarise([]),
        peak: summarise([]),
        hashesChanged: 0,
        note: `failed: ${result.stderr.trim().split('\n').pop()}`,
      };
    }
    walls.push(result.wallMs);
    if (result.peakRss >= 0) peaks.push(result.peakRss);
    if (run === 0) hashesChanged = files.filter((file, i) => infoHashOf(file) !== hashes[i]).length;
  }
  return { name, wall: summarise(walls), peak: summarise(peaks), hashesChanged };
}

export async function runEditBench(options: EditBenchOptions): Promise<EditFigures> {
  const transmissionEdit = which('transmission-edit');
  const sources = bulkSources(options.corpusDir);
  const hashes = sources.map((s) => s.hash);
  const tasks: { task: string; ours: string[]; theirs: string[] }[] = [
    { task: 'add a tracker', ours: ['--add-tracker', NEW_TRACKER], theirs: ['-a', NEW_TRACKER] },
    {
      task: 'replace a tracker host',
      ours: ['--replace-tracker', '127.0.0.1', 'tracker.example'],
      theirs: ['-r', '127.0.0.1', 'tracker.example'],
    },
  ];
  const bulk: BulkFigures[] = [];
  for (const { task, ours, theirs } of tasks) {
    options.log(`edit: ${task} in ${BULK_COUNT} torrents`);
    const contenders = [
      await timeProcesses(
        'torrent-lens edit --in-place',
        process.execPath,
        (files) => [options.cliPath, 'edit', '--in-place', ...ours, ...files],
        () => copies(join(options.workDir, 'ours'), sources),
        hashes,
        options,
      ),
    ];
    if (transmissionEdit) {
      contenders.push(
        await timeProcesses(
          'transmission-edit',
          transmissionEdit,
          (files) => [...theirs, ...files],
          () => copies(join(options.workDir, 'theirs'), sources),
          hashes,
          options,
        ),
      );
    } else {
      contenders.push({
        name: 'transmission-edit',
        wall: summarise([]),
        peak: summarise([]),
        hashesChanged: 0,
        note: 'not installed (Debian transmission-cli)',
      });
    }
    bulk.push({ task, torrents: BULK_COUNT, contenders });
  }
  return { bulk, large: await runLarge(options, transmissionEdit) };
}

async function runLarge(options: EditBenchOptions, transmissionEdit: string | undefined): Promise<LargeFigures> {
  const { large } = options;
  options.log(`edit: a tracker of ${large.label}`);
  const original = new Uint8Array(readFileSync(large.path));
  const target = join(options.workDir, 'large.torrent');
  const decodes: number[] = [];
  const edits: number[] = [];
  const saves: number[] = [];
  const totals: number[] = [];
  for (let run = 0; run < Math.max(options.runs, 5); run++) {
    copyFileSync(large.path, target);
    let started = performance.now();
    const doc = decode(original);
    decodes.push(performance.now() - started);
    started = performance.now();
    const result = applyEdit(doc, { kind: 'set-tracker', at: { tier: 0, index: 0 }, url: `${NEW_TRACKER}?run=${run}` });
    const edited = performance.now();
    await writeFileAtomic(target, result.bytes);
    const saved = performance.now();
    edits.push(edited - started);
    saves.push(saved - edited);
    totals.push(saved - started);
  }
  const hash = infoHashOf(large.path)!;
  if (infoHashOf(target) !== hash) throw new Error('editing a tracker of the large torrent changed its info hash');
  const prepare = (name: string) => () => {
    const file = join(options.workDir, name);
    copyFileSync(large.path, file);
    return [file];
  };
  const processes = [
    await timeProcesses(
      'torrent-lens edit --in-place',
      process.execPath,
      (files) => [options.cliPath, 'edit', '--in-place', '--replace-tracker', '127.0.0.1', 'tracker.example', ...files],
      prepare('large-ours.torrent'),
      [hash],
      options,
    ),
  ];
  if (transmissionEdit) {
    processes.push(
      await timeProcesses(
        'transmission-edit',
        transmissionEdit,
        (files) => ['-r', '127.0.0.1', 'tracker.example', ...files],
        prepare('large-theirs.torrent'),
        [hash],
        options,
      ),
    );
  }
  return {
    label: large.label,
    bytes: original.length,
    decode: summarise(decodes),
    edit: summarise(edits),
    save: summarise(saves),
    editToSaved: summarise(totals),
    processes,
  };
}

export function editTables(figures: EditFigures): string {
  const bulkRows = figures.bulk.flatMap(({ task, torrents, contenders }) =>
    contenders.map((c) => [
      task,
      c.name,
      c.note ?? msSummary(c.wall),
      c.note ? '–' : `${ms(c.wall.median / torrents)} ms`,
      c.note ? '–' : bytesSummary(c.peak),
      c.note ? '–' : `${c.hashesChanged} of ${torrents}`,
    ]),
  );
  const l = figures.large;
  return [
    `Bulk: ${BULK_COUNT.toLocaleString('en-US')} copies of the corpus torrents (its non-canonical ones among them), edited in place by one process; fresh copies for every run:`,
    '',
    table(['edit', 'process', 'wall time (median, min–max)', 'per torrent', 'peak RSS', 'info hashes changed'], bulkRows),
    '',
    'torrent-lens writes each file atomically and durably (a temporary file, fsync, rename, fsync of the folder); transmission-edit writes without fsync.',
    '',
    `Large: a tracker of the ${l.label} torrent (${bytes(l.bytes)}), edited and saved in process, the document decoded beforehand as the editor holds it:`,
    '',
    table(
      ['step', 'time (median, min–max)'],
      [
        ['decode (once, when the torrent is opened)', msSummary(l.decode)],
        ['applyEdit (splices, new bytes, undo splices)', msSummary(l.edit)],
        ['writeFileAtomic', msSummary(l.save)],
        ['edit call → saved file', msSummary(l.editToSaved)],
      ],
    ),
    '',
    'The same edit as whole processes (read, parse, edit, write):',
    '',
    table(
      ['process', 'wall time (median, min–max)', 'peak RSS', 'info hash changed'],
      l.processes.map((p) => [
        p.name,
        p.note ?? msSummary(p.wall),
        p.note ? '–' : bytesSummary(p.peak),
        p.note ? '–' : p.hashesChanged ? 'yes' : 'no',
      ]),
    ),
  ].join('\n');
}

export function editTargets(figures: EditFigures): Target[] {
  const kept = figures.bulk.map((b) => b.contenders[0]);
  const theirs = figures.bulk.map((b) => b.contenders[1]).filter((c) => c && !c.note);
  return [
    {
      section: 'edit',
      what: `bulk edits of ${BULK_COUNT.toLocaleString('en-US')} torrents keep every info hash`,
      measured: `${kept.map((c) => c.hashesChanged).join(', ')} changed${theirs.length ? ` (transmission-edit: ${theirs.map((c) => c.hashesChanged).join(', ')})` : ''}`,
      met: kept.every((c) => !c.note && c.hashesChanged === 0),
    },
  ];
}
