// Section 5: creating and verifying torrents, side by side with mktorrent (both cores, -t 2),
// transmission-create, libtorrent's Python bindings and npm create-torrent, on the same page-cached data,
// and the floor: SHA-1 (v1), SHA-256 of 16 KiB blocks (v2) or both (hybrid) of as many bytes, in memory on
// every core, with no I/O.
//
// Data, made by the bench in a temporary folder: a few large files (4 × 512 MiB; --quick 4 × 64 MiB) and
// many small ones (20,000 of 1 B–32 KiB in 100 folders; --quick 2,000 in 20). Every figure is a whole
// process, spawn to exit (ours: `torrent-lens create` and `verify` of the production build, as users run
// them), best and median of several runs, every contender once per round (the floor too), so that load
// from other work on the machine falls on all alike; CPU time (user + system) and peak memory from GNU time.
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { HashingChildResult } from '../hashing-child';
import { runProcess, which } from '../lib/processes';
import { bytes, bytesSummary, ms, summarise, table, type Summary, type Target } from '../lib/stats';
import { parseMetainfo } from '../../src/core/metainfo/parse';

export interface HashingOptions {
  childDir: string;
  /** The production build's dist/cli.js (with dist/hash-worker.js beside it). */
  cliFile: string;
  /** The libtorrent helper of the interop tests. */
  libtorrentTool: string;
  work: string;
  quick: boolean;
  runs: number;
  gnuTime: boolean;
  log: (line: string) => void;
}

type Job = 'create' | 'verify';
type Version = 'v1' | 'v2' | 'hybrid';

export interface HashingRow {
  job: Job;
  version: Version;
  tool: string;
  wall: Summary;
  /** User + system CPU time of the whole process, all threads. */
  cpu: Summary;
  peak: Summary;
  /** Info hash checks and other remarks. */
  note?: string;
  /** The floor rows: the hashing alone, timed inside its process. */
  floor?: boolean;
}

export interface DatasetFigures {
  id: string;
  label: string;
  bytes: number;
  files: number;
  pieceLength: number;
  rows: HashingRow[];
}

export interface HashingFigures {
  datasets: DatasetFigures[];
  /** Peak memory of our hybrid create on half the large data and on all of it. */
  memory: { halfBytes: number; fullBytes: number; halfPeak: Summary; fullPeak: Summary };
}

const PIECE_LENGTH = 512 * 1024;
const PYTHON = '/usr/bin/python3';

interface Dataset {
  id: string;
  label: string;
  path: string;
  bytes: number;
  files: number;
  /** What the floor hashes: SHA-1 over the v1 stream of a hybrid (each file padded to a whole piece), and 16 KiB blocks (one per started block of each file). */
  hybridStreamBytes: number;
  blocks: number;
}

function makeData(work: string, quick: boolean, log: (line: string) => void): { large: Dataset; half: Dataset; small: Dataset } {
  const chunk = Buffer.allocUnsafe(4 << 20);
  const write = (path: string, size: number) => {
    const fd = openSync(path, 'w');
    try {
      for (let left = size; left > 0; left -= chunk.length) {
        const n = Math.min(left, chunk.length);
        randomFillSync(chunk, 0, n);
        writeSync(fd, chunk, 0, n);
      }
    } finally {
      closeSync(fd);
    }
  };
  const largeSize = (quick ? 64 : 512) << 20;
  const large = join(work, 'large', 'Large');
  const half = join(work, 'half', 'Large');
  mkdirSync(large, { recursive: true });
  mkdirSync(half, { recursive: true });
  log(`hashing: writing ${bytes(4 * largeSize)} in 4 files`);
  for (let i = 1; i <= 4; i++) {
    write(join(large, `part-${i}.bin`), largeSize);
    // Half the data as hard links to the same files: the same bytes, the same page cache.
    if (i <= 2) linkSync(join(large, `part-${i}.bin`), join(half, `part-${i}.bin`));
  }
  const smallCount = quick ? 2000 : 20_000;
  const folders = quick ? 20 : 100;
  const small = join(work, 'small', 'Small');
  let smallBytes = 0;
  let smallStream = 0;
  let smallBlocks = 0;
  let seed = 12345;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed;
  };
  log(`hashing: writing ${smallCount.toLocaleString('en-US')} small files`);
  for (let d = 0; d < folders; d++) mkdirSync(join(small, `d${String(d).padStart(3, '0')}`), { recursive: true });
  for (let i = 0; i < smallCount; i++) {
    const size = 1 + (next() % 32768);
    smallBytes += size;
    smallStream += Math.ceil(size / PIECE_LENGTH) * PIECE_LENGTH;
    smallBlocks += Math.ceil(size / 16384);
    write(join(small, `d${String(i % folders).padStart(3, '0')}`, `f${String(i).padStart(5, '0')}.bin`), size);
  }
  const big = (files: number) => ({
    bytes: files * largeSize,
    files,
    hybridStreamBytes: files * largeSize,
    blocks: (files * largeSize) / 16384,
  });
  // Written data still on its way to disk would slow whichever tool runs first.
  spawnSync('sync');
  return {
    large: { id: 'large', label: '4 large files', path: large, ...big(4) },
    half: { id: 'half', label: '2 large files', path: half, ...big(2) },
    small: {
      id: 'small',
      label: `${smallCount.toLocaleString('en-US')} small files`,
      path: small,
      bytes: smallBytes,
      files: smallCount,
      hybridStreamBytes: smallStream,
      blocks: smallBlocks,
    },
  };
}

/** Reads every byte once, so that every contender finds the data in the page cache. */
function warm(path: string): void {
  const buffer = Buffer.allocUnsafe(4 << 20);
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const fd = openSync(full, 'r');
        try {
          while (readSync(fd, buffer, 0, buffer.length, null) > 0);
        } finally {
          closeSync(fd);
        }
      }
    }
  };
  walk(path);
}

interface Contender {
  job: Job;
  version: Version;
  tool: string;
  command: string;
  args: string[];
  /** Run before each timed run (removing an output a tool refuses to overwrite). */
  before?: () => void;
  /** Checks the output once: an info hash that differs from ours, for example. */
  check?: (run: HashingChildResult | undefined) => string | undefined;
  /** The floor: its time is the hashing alone, as the child measures it, not the process's. */
  floor?: boolean;
}

interface Tally {
  walls: number[];
  cpus: number[];
  peaks: number[];
  last?: HashingChildResult;
  failure?: string;
}

async function runOnce(contender: Contender, tally: Tally, options: HashingOptions): Promise<void> {
  if (tally.failure) return;
  contender.before?.();
  const run = await runProcess(contender.command, contender.args, { gnuTime: options.gnuTime, keepStdout: true, timeoutMs: 600_000 });
  if (run.exitCode !== 0) {
    tally.failure = `failed: ${run.stderr.trim().split('\n').pop() ?? `exit ${run.exitCode}`}`;
    return;
  }
  const line = run.stdout.trim().split('\n').pop() ?? '';
  if (line.startsWith('{')) tally.last = JSON.parse(line) as HashingChildResult;
  tally.walls.push(contender.floor ? (tally.last?.workMs ?? NaN) : run.wallMs);
  // The floor's CPU is its whole process's (Node and its threads starting, then the hashing): the least a
  // Node process that hashes these bytes can spend.
  if (run.cpuMs >= 0) tally.cpus.push(run.cpuMs);
  if (run.peakRss >= 0 && !contender.floor) tally.peaks.push(run.peakRss);
}

function rowOf(contender: Contender, tally: Tally): HashingRow {
  const row: HashingRow = {
    job: contender.job,
    version: contender.version,
    tool: contender.tool,
    wall: summarise(tally.walls),
    cpu: summarise(tally.cpus),
    peak: summarise(tally.peaks),
  };
  const note = tally.failure ?? contender.check?.(tally.last);
  if (note) row.note = note;
  if (contender.floor) row.floor = true;
  return row;
}

/**
 * Every contender once per round, rounds one after another: load from other work on the machine then
 * falls on all of them alike instead of on whichever ran while it lasted.
 */
async function measureAll(contenders: Contender[], options: HashingOptions, label: string): Promise<HashingRow[]> {
  const tallies: Tally[] = contenders.map(() => ({ walls: [], cpus: [], peaks: [] }));
  for (let round = 1; round <= options.runs; round++) {
    options.log(`hashing: ${label}: round ${round} of ${options.runs}`);
    for (const [i, contender] of contenders.entries()) await runOnce(contender, tallies[i], options);
  }
  return contenders.map((c, i) => rowOf(c, tallies[i]));
}

function infoHashOf(file: string): { v1?: string; v2?: string } {
  const parsed = parseMetainfo(readFileSync(file));
  return parsed.ok ? parsed.metainfo.infoHash : {};
}

/** The floor of a version: the hashing its format needs of this data, in memory, on every core. */
function floorContender(version: Version, data: Dataset, options: HashingOptions): Contender {
  const sha1Bytes = version === 'v1' ? data.bytes : version === 'hybrid' ? data.hybridStreamBytes : 0;
  const sha256Blocks = version === 'v1' ? 0 : data.blocks;
  const what = [
    sha1Bytes ? `SHA-1 of ${bytes(sha1Bytes)}` : '',
    sha256Blocks ? `SHA-256 of ${sha256Blocks.toLocaleString('en-US')} blocks` : '',
  ]
    .filter(Boolean)
    .join(' + ');
  return {
    job: 'create',
    version,
    tool: `floor: ${what}, in memory, every core`,
    command: process.execPath,
    args: [join(options.childDir, 'hashing-child.mjs'), 'floor', String(sha1Bytes), String(sha256Blocks), String(PIECE_LENGTH), '0'],
    floor: true,
  };
}

async function runDataset(data: Dataset, options: HashingOptions): Promise<DatasetFigures> {
  const { log } = options;
  const child = join(options.childDir, 'hashing-child.mjs');
  const out = join(options.work, 'out', data.id);
  mkdirSync(out, { recursive: true });
  const save = join(data.path, '..');
  log(`hashing: ${data.label} (${bytes(data.bytes)}): warming the page cache`);
  warm(data.path);
  const ours = (version: Version) => join(out, `ours-${version}.torrent`);
  const rows: HashingRow[] = [];
  const contenders: Contender[] = [];
  const cli = (...args: string[]) => ({ command: process.execPath, args: [options.cliFile, ...args] });
  for (const version of ['v1', 'v2', 'hybrid'] as const) {
    contenders.push({
      job: 'create',
      version,
      tool: 'torrent-lens',
      ...cli(
        'create',
        data.path,
        `--${version}`,
        '--piece-length',
        String(PIECE_LENGTH),
        '--hidden',
        '--no-date',
        '--no-created-by',
        '-f',
        '-o',
        ours(version),
      ),
    });
    contenders.push({
      job: 'create',
      version,
      tool: 'libtorrent (Python)',
      command: PYTHON,
      args: [options.libtorrentTool, 'create', data.path, String(PIECE_LENGTH), version, join(out, `libtorrent-${version}.torrent`)],
      check: () => {
        if (version === 'v1') return 'files in directory order: another info hash';
        const theirs = infoHashOf(join(out, `libtorrent-${version}.torrent`));
        const mine = infoHashOf(ours(version));
        return theirs.v2 === mine.v2 && theirs.v1 === mine.v1 ? 'same info hash' : 'ANOTHER INFO HASH';
      },
    });
  }
  if (which('mktorrent')) {
    const file = join(out, 'mktorrent.torrent');
    contenders.push({
      job: 'create',
      version: 'v1',
      tool: 'mktorrent -t 2',
      command: 'mktorrent',
      args: ['-t', '2', '-l', String(Math.log2(PIECE_LENGTH)), '-o', file, data.path],
      before: () => rmSync(file, { force: true }),
      check: () => (infoHashOf(file).v1 === infoHashOf(ours('v1')).v1 ? 'same info hash' : 'ANOTHER INFO HASH'),
    });
  }
  if (which('transmission-create')) {
    const file = join(out, 'transmission.torrent');
    contenders.push({
      job: 'create',
      version: 'v1',
      tool: 'transmission-create',
      command: 'transmission-create',
      args: ['-s', String(PIECE_LENGTH / 1024), '-o', file, data.path],
      before: () => rmSync(file, { force: true }),
      check: () => (infoHashOf(file).v1 === infoHashOf(ours('v1')).v1 ? 'same info hash' : 'writes `private: 0`: another info hash'),
    });
  }
  contenders.push({
    job: 'create',
    version: 'v1',
    tool: 'create-torrent (npm)',
    command: process.execPath,
    args: [child, 'create-torrent', data.path, String(PIECE_LENGTH), join(out, 'create-torrent.torrent')],
    check: (r) => (r?.infoHashV1 === infoHashOf(ours('v1')).v1 ? 'same info hash' : 'another info hash'),
  });
  for (const version of ['v1', 'v2', 'hybrid'] as const) {
    // Exit 0 only when every piece is good: a run that found anything wrong counts as failed.
    contenders.push({ job: 'verify', version, tool: 'torrent-lens', ...cli('verify', ours(version), '--data', save) });
    contenders.push({
      job: 'verify',
      version,
      tool: 'libtorrent force_recheck (Python)',
      command: PYTHON,
      args: [options.libtorrentTool, 'recheck', ours(version), save],
    });
  }
  for (const version of ['v1', 'v2', 'hybrid'] as const) contenders.push(floorContender(version, data, options));
  rows.push(...(await measureAll(contenders, options, data.id)));
  return { id: data.id, label: data.label, bytes: data.bytes, files: data.files, pieceLength: PIECE_LENGTH, rows };
}

export async function runHashing(options: HashingOptions): Promise<HashingFigures> {
  const data = makeData(options.work, options.quick, options.log);
  const datasets = [await runDataset(data.large, options), await runDataset(data.small, options)];
  // Memory must not grow with the data: the same create on half the large data.
  options.log('hashing: peak memory on half the large data');
  const [halfRow] = await measureAll(
    [
      {
        job: 'create',
        version: 'hybrid',
        tool: 'torrent-lens',
        command: process.execPath,
        args: [
          options.cliFile,
          'create',
          data.half.path,
          '--piece-length',
          String(PIECE_LENGTH),
          '--no-date',
          '-f',
          '-o',
          join(options.work, 'half.torrent'),
        ],
      },
    ],
    options,
    'half',
  );
  const full = datasets[0].rows.find((r) => r.job === 'create' && r.version === 'hybrid' && r.tool === 'torrent-lens') as HashingRow;
  rmSync(options.work, { recursive: true, force: true });
  return { datasets, memory: { halfBytes: data.half.bytes, fullBytes: data.large.bytes, halfPeak: halfRow.peak, fullPeak: full.peak } };
}

const rate = (size: number, s: Summary) => (s.runs ? `${(size / (s.min / 1000) / 1e6).toFixed(0)} MB/s` : '–');

function oursRow(d: DatasetFigures, job: Job, version: Version): HashingRow | undefined {
  return d.rows.find((r) => r.job === job && r.version === version && r.tool === 'torrent-lens');
}

export function hashingTables(figures: HashingFigures): string {
  const out: string[] = [];
  for (const d of figures.datasets) {
    const rows = d.rows.map((r) => {
      const ours = oursRow(d, r.job, r.version);
      const vs = (a: Summary | undefined, b: Summary) => (a?.runs && b.runs ? (b.min / a.min).toFixed(2) : '–');
      const best = (s: Summary) => (s.runs ? `${ms(s.min)} ms (${ms(s.median)})` : '–');
      return [
        r.job,
        r.version,
        r.tool,
        best(r.wall),
        rate(d.bytes, r.wall),
        r.tool === 'torrent-lens' ? '1' : vs(ours?.wall, r.wall),
        best(r.cpu),
        r.tool === 'torrent-lens' ? '1' : vs(ours?.cpu, r.cpu),
        r.floor ? '–' : bytesSummary(r.peak),
        r.note ?? '',
      ];
    });
    out.push(
      `### ${d.label}: ${bytes(d.bytes)}, pieces of ${bytes(d.pieceLength)}`,
      '',
      table(
        ['job', 'version', 'tool', 'wall: best (median)', 'rate', '÷ torrent-lens', 'CPU: best (median)', '÷ torrent-lens', 'peak RSS', ''],
        rows,
      ),
      '',
    );
  }
  const m = figures.memory;
  out.push(
    `Peak memory of a hybrid create: ${bytesSummary(m.halfPeak)} on ${bytes(m.halfBytes)}, ${bytesSummary(m.fullPeak)} on ${bytes(m.fullBytes)}.`,
    '',
  );
  return out.join('\n');
}

export function hashingTargets(figures: HashingFigures): Target[] {
  const targets: Target[] = [];
  for (const d of figures.datasets) {
    for (const version of ['v1', 'v2', 'hybrid'] as const) {
      for (const job of ['create', 'verify'] as const) {
        const ours = oursRow(d, job, version);
        const others = d.rows.filter((r) => r.job === job && r.version === version && r.tool !== 'torrent-lens' && !r.floor && r.wall.runs);
        if (!ours?.wall.runs || others.length === 0) continue;
        const fastest = others.reduce((a, b) => (a.wall.min < b.wall.min ? a : b));
        targets.push({
          section: 'hashing',
          what: `${d.id}: ${job} ${version} faster than ${others.map((o) => o.tool).join(', ')}`,
          measured: `${ms(ours.wall.min)} ms vs ${ms(fastest.wall.min)} ms (${fastest.tool}, the fastest of them)`,
          met: ours.wall.min < fastest.wall.min,
        });
        const withCpu = others.filter((o) => o.cpu.runs);
        if (ours.cpu.runs && withCpu.length) {
          const frugal = withCpu.reduce((a, b) => (a.cpu.min < b.cpu.min ? a : b));
          targets.push({
            section: 'hashing',
            what: `${d.id}: ${job} ${version} uses less CPU (user + system) than each of them`,
            measured: `${ms(ours.cpu.min)} ms vs ${ms(frugal.cpu.min)} ms (${frugal.tool}, the least of them)`,
            met: ours.cpu.min < frugal.cpu.min,
          });
        }
      }
      const floor = d.rows.find((r) => r.floor && r.version === version);
      for (const job of ['create', 'verify'] as const) {
        const ours = oursRow(d, job, version);
        if (!ours?.wall.runs || !floor?.wall.runs) continue;
        targets.push({
          section: 'hashing',
          what: `${d.id}: ${job} ${version} within 1.25× of the floor (whole process vs hashing alone)`,
          measured: `${(ours.wall.min / floor.wall.min).toFixed(2)}× (${ms(ours.wall.min)} vs ${ms(floor.wall.min)} ms)`,
          met: ours.wall.min <= 1.25 * floor.wall.min,
        });
      }
    }
  }
  const m = figures.memory;
  if (m.halfPeak.runs && m.fullPeak.runs) {
    targets.push({
      section: 'hashing',
      what: 'peak memory independent of the data size (hybrid create, twice the data: under 16 MiB more)',
      measured: `${bytes(m.halfPeak.median)} on ${bytes(m.halfBytes)}, ${bytes(m.fullPeak.median)} on ${bytes(m.fullBytes)}`,
      met: m.fullPeak.median - m.halfPeak.median < 16 << 20,
    });
  }
  return targets;
}
