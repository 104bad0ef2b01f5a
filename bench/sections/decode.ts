// Section 1: decode + model + info hashes, side by side with parse-torrent (in process), transmission-show
// (whole process) and the floor (one read of the file and the hash of the info bytes).
import { join } from 'node:path';
import type { ChildResult, Contender } from '../decode-child';
import type { BenchInput } from '../lib/inputs';
import { runProcess, which } from '../lib/processes';
import { bytes, bytesSummary, ms, msSummary, ratio, summarise, table, type Summary, type Target } from '../lib/stats';

export interface DecodeOptions {
  /** Where the bench's child scripts were copied (see main.ts). */
  childDir: string;
  /** The CLI bundle the processes run (the production build, as shipped). */
  cliPath: string;
  /** Fresh processes per contender and input. */
  processes: number;
  /** Warm-call budget per in-process child, in ms. */
  warmBudgetMs: number;
  gnuTime: boolean;
  log: (line: string) => void;
}

export interface InProcessFigures {
  contender: Contender;
  warm: Summary;
  cold: Summary;
  memory: Summary;
  fileCount: number;
  infoHash: string;
}

export interface ProcessFigures {
  name: string;
  command: string;
  wall: Summary;
  peak: Summary;
  /** What the process printed, in bytes (one extra run, not timed). */
  outputBytes: number;
  /** Why there are no figures (not installed, refused the file). */
  note?: string;
}

export interface DecodeInputResult {
  input: BenchInput;
  inProcess: InProcessFigures[];
  processes: ProcessFigures[];
}

const IN_PROCESS: { contender: Contender; label: string }[] = [
  { contender: 'torrent-lens', label: 'torrent-lens parseMetainfo' },
  { contender: 'torrent-lens-async', label: 'torrent-lens parseMetainfoAsync' },
  { contender: 'torrent-lens-all-files', label: 'torrent-lens + every file object' },
  { contender: 'parse-torrent', label: 'parse-torrent' },
  { contender: 'floor', label: 'floor: read + hash info' },
];

export const IN_PROCESS_LABELS = Object.fromEntries(IN_PROCESS.map((c) => [c.contender, c.label])) as Record<Contender, string>;

async function inProcess(input: BenchInput, contender: Contender, options: DecodeOptions): Promise<InProcessFigures> {
  const child = join(options.childDir, 'decode-child.mjs');
  const results: ChildResult[] = [];
  // A contender that takes seconds a call gets fewer processes, to keep the whole run in minutes.
  for (let i = 0; i < (results[0]?.coldMs > 1000 ? Math.min(3, options.processes) : options.processes); i++) {
    const run = await runProcess(
      process.execPath,
      [
        '--expose-gc',
        child,
        contender,
        input.path,
        String(input.infoStart),
        String(input.infoEnd),
        input.sha256 ? '1' : '0',
        String(options.warmBudgetMs),
      ],
      { keepStdout: true },
    );
    if (run.exitCode !== 0) throw new Error(`${contender} on ${input.id} failed (exit ${run.exitCode}): ${run.stderr.trim()}`);
    results.push(JSON.parse(run.stdout.trim().split('\n').pop()!) as ChildResult);
  }
  return {
    contender,
    warm: summarise(results.flatMap((r) => r.warmMs)),
    cold: summarise(results.map((r) => r.coldMs)),
    memory: summarise(results.map((r) => r.peakOverBaseline).filter((m) => m >= 0)),
    fileCount: results[0].fileCount,
    infoHash: results[0].infoHash,
  };
}

async function wholeProcess(name: string, command: string, args: string[], options: DecodeOptions): Promise<ProcessFigures> {
  const walls: number[] = [];
  const peaks: number[] = [];
  const shown = [command.split('/').pop(), ...args.map((a) => (a.includes('/') ? a.split('/').pop()! : a))].join(' ');
  for (let i = 0; i < options.processes; i++) {
    const run = await runProcess(command, args, { gnuTime: options.gnuTime });
    if (run.exitCode !== 0) {
      const reason = (run.stderr.trim().split('\n').pop() ?? `exit ${run.exitCode}`).replaceAll(
        args.at(-1)!,
        args.at(-1)!.split('/').pop()!,
      );
      return { name, command: shown, wall: summarise([]), peak: summarise([]), outputBytes: 0, note: `refuses the file: "${reason}"` };
    }
    walls.push(run.wallMs);
    if (run.peakRss >= 0) peaks.push(run.peakRss);
  }
  const outputBytes = (await runProcess(command, args, { countStdout: true })).stdoutBytes;
  return { name, command: shown, wall: summarise(walls), peak: summarise(peaks), outputBytes };
}

export async function runDecode(inputs: BenchInput[], options: DecodeOptions): Promise<DecodeInputResult[]> {
  const transmissionShow = which('transmission-show');
  const results: DecodeInputResult[] = [];
  for (const input of inputs) {
    options.log(`decode: ${input.label} (${bytes(input.bytes)})`);
    const figures: InProcessFigures[] = [];
    for (const { contender } of IN_PROCESS) figures.push(await inProcess(input, contender, options));
    // Every contender must have read the same torrent.
    const ours = figures[0];
    for (const f of figures) {
      if (f.infoHash !== ours.infoHash && !(f.contender === 'floor' && input.version === 'v2')) {
        throw new Error(`${input.id}: ${f.contender} computed info hash ${f.infoHash}, torrent-lens ${ours.infoHash}`);
      }
      if (f.fileCount >= 0 && f.contender !== 'parse-torrent' && f.fileCount !== ours.fileCount) {
        throw new Error(`${input.id}: ${f.contender} saw ${f.fileCount} files, torrent-lens ${ours.fileCount}`);
      }
    }
    const processes: ProcessFigures[] = [];
    processes.push(await wholeProcess('torrent-lens show (text)', process.execPath, [options.cliPath, 'show', input.path], options));
    processes.push(
      await wholeProcess('torrent-lens show --json', process.execPath, [options.cliPath, 'show', '--json', input.path], options),
    );
    if (transmissionShow) processes.push(await wholeProcess('transmission-show', transmissionShow, [input.path], options));
    else
      processes.push({
        name: 'transmission-show',
        command: 'transmission-show',
        wall: summarise([]),
        peak: summarise([]),
        outputBytes: 0,
        note: 'not installed (Debian transmission-cli)',
      });
    processes.push(await wholeProcess('node, empty script (start-up floor)', process.execPath, ['-e', '0'], options));
    results.push({ input, inProcess: figures, processes });
  }
  return results;
}

export function decodeTables(results: DecodeInputResult[]): string {
  const inRows: string[][] = [];
  const procRows: string[][] = [];
  for (const { input, inProcess: figures, processes } of results) {
    const ours = figures.find((f) => f.contender === 'torrent-lens')!;
    for (const f of figures) {
      inRows.push([
        input.label,
        IN_PROCESS_LABELS[f.contender],
        msSummary(f.warm),
        f.contender === 'torrent-lens' ? '1' : (f.warm.median / ours.warm.median).toFixed(f.warm.median / ours.warm.median >= 10 ? 1 : 2),
        msSummary(f.cold),
        bytesSummary(f.memory),
        f.memory.runs ? `${(f.memory.median / input.bytes).toFixed(2)}×` : '–',
      ]);
    }
    const oursProcess = processes[0];
    for (const p of processes) {
      procRows.push([
        input.label,
        p.name,
        p.note ?? msSummary(p.wall),
        p.note || p === oursProcess ? (p === oursProcess ? '1' : '–') : (p.wall.median / oursProcess.wall.median).toFixed(2),
        p.note ? '–' : bytesSummary(p.peak),
        p.note ? '–' : bytes(p.outputBytes),
      ]);
    }
  }
  const inputRows = results.map(({ input }) => [
    input.label,
    bytes(input.bytes),
    input.fileCount.toLocaleString('en-US'),
    input.version,
    bytes(input.infoEnd - input.infoStart),
    input.source,
  ]);
  return [
    table(['input', 'file size', 'files', 'version', 'info dict', 'source'], inputRows),
    '',
    'In process (each contender in fresh node processes; time = warm calls, first call = the first in a fresh process; memory = peak RSS over the RSS before the first call):',
    '',
    table(
      ['input', 'contender', 'time (median, min–max)', '÷ torrent-lens', 'first call', 'peak memory over baseline', '÷ file size'],
      inRows,
    ),
    '',
    "Whole process (start to exit, output to /dev/null; memory = the whole process's peak RSS):",
    '',
    table(['input', 'process', 'wall time (median, min–max)', '÷ torrent-lens show', 'peak RSS', 'output'], procRows),
  ].join('\n');
}

export function decodeTargets(results: DecodeInputResult[]): Target[] {
  const large = results.find((r) => r.input.id === 'large');
  if (!large) return [];
  const get = (c: Contender) => large.inProcess.find((f) => f.contender === c)!;
  const ours = get('torrent-lens');
  const pt = get('parse-torrent');
  const floor = get('floor');
  const proc = (name: string) => large.processes.find((p) => p.name === name);
  const text = proc('torrent-lens show (text)')!;
  const json = proc('torrent-lens show --json')!;
  const ts = proc('transmission-show');
  const section = 'decode, 100,000 files';
  const tsMeasured = ts && !ts.note;
  return [
    {
      section,
      what: '≥ 10× faster than parse-torrent (in process)',
      measured: `${ratio(ours.warm.median, pt.warm.median)} (${ms(ours.warm.median)} vs ${ms(pt.warm.median)} ms)`,
      met: pt.warm.median / ours.warm.median >= 10,
    },
    {
      section,
      what: 'faster than transmission-show (process, text output)',
      measured: tsMeasured ? `${ms(text.wall.median)} vs ${ms(ts.wall.median)} ms` : (ts?.note ?? 'not installed'),
      met: tsMeasured ? text.wall.median < ts.wall.median : undefined,
    },
    {
      section,
      what: 'faster than transmission-show (process, show --json)',
      measured: tsMeasured ? `${ms(json.wall.median)} vs ${ms(ts.wall.median)} ms` : (ts?.note ?? 'not installed'),
      met: tsMeasured ? json.wall.median < ts.wall.median : undefined,
    },
    ...([ours, get('torrent-lens-async')] as const).map((f) => ({
      section,
      what: `${IN_PROCESS_LABELS[f.contender].replace('torrent-lens ', '')} within 2× of the floor (read + SHA-1 of the info bytes)`,
      measured: `${(f.warm.median / floor.warm.median).toFixed(2)}× (${ms(f.warm.median)} vs ${ms(floor.warm.median)} ms)`,
      met: f.warm.median <= 2 * floor.warm.median,
    })),
    ...([ours, get('torrent-lens-async')] as const).map((f) => ({
      section,
      what: `${IN_PROCESS_LABELS[f.contender].replace('torrent-lens ', '')}: peak memory under 3× the file size`,
      measured: `${(f.memory.median / large.input.bytes).toFixed(2)}× (${bytes(f.memory.median)} for ${bytes(large.input.bytes)})`,
      met: f.memory.median < 3 * large.input.bytes,
    })),
  ];
}
