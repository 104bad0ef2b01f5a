// One contender reading one torrent, in a fresh process (started by bench/main.ts with --expose-gc):
//   node --expose-gc out/bench/decode-child.mjs CONTENDER FILE INFO_START INFO_END SHA256 WARM_MS
// Prints one JSON line: the first call's time and peak memory, then the times of warm calls.
//
// Memory: after the contender's code is loaded and garbage collected, the kernel's peak-RSS mark is reset
// (/proc/self/clear_refs, Linux); the peak over the first call minus the RSS before it is what reading
// this torrent cost. Every call reads the file itself: the read is part of the work.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseMetainfo, parseMetainfoAsync } from '../src/core/metainfo/parse';

export type Contender = 'torrent-lens' | 'torrent-lens-async' | 'torrent-lens-all-files' | 'parse-torrent' | 'floor';

export interface ChildResult {
  contender: Contender;
  coldMs: number;
  warmMs: number[];
  /** Peak RSS during the first call minus the RSS just before it; -1 where the kernel cannot say. */
  peakOverBaseline: number;
  baselineRss: number;
  /** Checks that every contender read the same torrent. */
  infoHash: string;
  fileCount: number;
}

const [contender, file, startText, endText, sha256Text, warmText] = process.argv.slice(2) as [
  Contender,
  string,
  string,
  string,
  string,
  string,
];
const infoStart = Number(startText);
const infoEnd = Number(endText);
const withSha256 = sha256Text === '1';
const warmBudgetMs = Number(warmText);

type Job = () => Promise<{ infoHash: string; fileCount: number }> | { infoHash: string; fileCount: number };

async function job(): Promise<Job> {
  switch (contender) {
    case 'torrent-lens':
      return () => {
        const result = parseMetainfo(readFileSync(file));
        if (!result.ok) throw new Error(result.failure.message);
        const m = result.metainfo;
        return { infoHash: m.infoHash.v1 ?? m.infoHash.v2 ?? '', fileCount: m.files.count - m.files.padCount };
      };
    case 'torrent-lens-async':
      // The same, with the info hashes computed on the thread pool while the model is built (the CLI's way).
      return async () => {
        const result = await parseMetainfoAsync(readFileSync(file));
        if (!result.ok) throw new Error(result.failure.message);
        const m = result.metainfo;
        return { infoHash: m.infoHash.v1 ?? m.infoHash.v2 ?? '', fileCount: m.files.count - m.files.padCount };
      };
    case 'torrent-lens-all-files':
      // The same, then every file's object built (path texts, offsets), as a full listing needs.
      return () => {
        const result = parseMetainfo(readFileSync(file));
        if (!result.ok) throw new Error(result.failure.message);
        const m = result.metainfo;
        let files = 0;
        for (const f of m.files) if (!f.padding && f.path.length > 0) files++;
        return { infoHash: m.infoHash.v1 ?? m.infoHash.v2 ?? '', fileCount: files };
      };
    case 'parse-torrent': {
      const { default: parseTorrent } = await import('parse-torrent');
      return async () => {
        const torrent = await parseTorrent(readFileSync(file));
        return { infoHash: torrent.infoHash, fileCount: torrent.files.filter((f) => !/(^|[/\\])\.pad[/\\]/.test(f.path)).length };
      };
    }
    case 'floor':
      // What any correct tool must do: read the file and hash the info dictionary's bytes.
      return () => {
        const data = readFileSync(file);
        const info = data.subarray(infoStart, infoEnd);
        const infoHash = createHash('sha1').update(info).digest('hex');
        if (withSha256) createHash('sha256').update(info).digest();
        return { infoHash, fileCount: -1 };
      };
    default:
      throw new Error(`unknown contender ${String(contender)}`);
  }
}

function statusKb(field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : -1;
}

function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function main(): Promise<void> {
  const run = await job();
  gc();
  gc();
  const baselineRss = statusKb('VmRSS');
  const peakReset = resetPeak();
  let started = performance.now();
  const first = await run();
  const coldMs = performance.now() - started;
  const peak = peakReset ? statusKb('VmHWM') : -1;
  const warmMs: number[] = [];
  // Enough warm calls for a stable median, within a time budget per process.
  const budgetEnd = performance.now() + warmBudgetMs;
  const minimum = coldMs > 300 ? 1 : 3;
  while (warmMs.length < minimum || (performance.now() < budgetEnd && warmMs.length < 200)) {
    started = performance.now();
    await run();
    warmMs.push(performance.now() - started);
  }
  const result: ChildResult = {
    contender,
    coldMs,
    warmMs,
    peakOverBaseline: peak >= 0 && baselineRss >= 0 ? peak - baselineRss : -1,
    baselineRss,
    infoHash: first.infoHash,
    fileCount: first.fileCount,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
