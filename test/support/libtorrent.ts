// Real libtorrent peers (Debian's python3-libtorrent, through libtorrent-peer.py) for the peer tests and the bench:
// torrents made from seeded random data in a temporary folder, a seeder, a peer holding part of the data, and a
// session that fetches metadata from a magnet link. Every process ends with its test, also on failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Debian's python, which has the libtorrent module (a python on PATH may be another). */
export const PYTHON = '/usr/bin/python3';
/** The script beside this module's source; tests (out/test/…) and the bench (out/bench/) are bundled at different depths. */
const SCRIPT = (() => {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'test', 'support', 'libtorrent-peer.py');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('test/support/libtorrent-peer.py not found above this module');
})();

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A running helper: its JSON lines as they come, and a stop that ends it and waits for it. */
export interface Helper {
  child: ChildProcess;
  nextLine(timeoutMs?: number): Promise<Record<string, unknown>>;
  send(line: string): void;
  stop(): Promise<void>;
  output(): string;
}

export function startHelper(args: string[]): Helper {
  const child = spawn(PYTHON, [SCRIPT, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  let errors = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (errors.length < 16_384) errors += d.toString();
  });
  const lines: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('close', () => {
      exited = true;
      running.delete(child);
      for (const w of waiting.splice(0)) w(undefined);
      resolve();
    }),
  );
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const w = waiting.shift();
    if (w) w(line);
    else lines.push(line);
  });
  return {
    child,
    output: () => errors,
    send: (line) => child.stdin!.write(`${line}\n`),
    nextLine(timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const take = (line: string | undefined) => {
          clearTimeout(timer);
          if (line === undefined) reject(new Error(`libtorrent helper ${args[0]} ended: ${errors}`));
          else resolve(JSON.parse(line) as Record<string, unknown>);
        };
        const timer = setTimeout(() => {
          const at = waiting.indexOf(take);
          if (at >= 0) waiting.splice(at, 1);
          reject(new Error(`libtorrent helper ${args[0]} said nothing within ${timeoutMs} ms: ${errors}`));
        }, timeoutMs);
        if (lines.length > 0) take(lines.shift());
        else if (exited) take(undefined);
        else waiting.push(take);
      });
    },
    async stop() {
      if (exited) return;
      child.stdin!.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exit;
      clearTimeout(killer);
    },
  };
}

export type TorrentKind = 'v1' | 'v2' | 'hybrid';

export interface MadeTorrent {
  dir: string;
  torrent: string;
  bytes: Uint8Array;
  dataParent: string;
  /** Paths as libtorrent lists them (pad files included, in torrent order). */
  files: string[];
  infoHashV1: string | null;
  infoHashV2: string | null;
  pieces: number;
  remove(): void;
}

/** A torrent of random files (`sizes`, seeded by `seed`) made by libtorrent's create_torrent, in a temporary folder. */
export async function makeTorrent(name: string, kind: TorrentKind, sizes: number[], pieceLength = 16384, seed = 1): Promise<MadeTorrent> {
  const dir = mkdtempSync(join(tmpdir(), 'torrent-lens-peer-'));
  const helper = startHelper(['create', dir, name, kind, String(seed), sizes.join(','), String(pieceLength)]);
  try {
    const made = (await helper.nextLine()) as Omit<MadeTorrent, 'dir' | 'bytes' | 'remove'>;
    return { ...made, dir, bytes: readFileSync(made.torrent), remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  } finally {
    await helper.stop();
  }
}

export interface RunningPeer {
  host: string;
  port: number;
  /** The pieces it holds, as hex in BEP 3 bit order. */
  pieces: string;
  seed: boolean;
  stop(): Promise<void>;
}

async function servePeer(args: string[], host: string, cleanUp?: () => void): Promise<RunningPeer> {
  const helper = startHelper(args);
  try {
    const line = await helper.nextLine();
    return {
      host,
      port: line.port as number,
      pieces: line.pieces as string,
      seed: line.seed as boolean,
      stop: async () => {
        await helper.stop();
        cleanUp?.();
      },
    };
  } catch (error) {
    await helper.stop();
    cleanUp?.();
    throw error;
  }
}

/** libtorrent seeding `made` (seed_mode) on `host`. */
export function startSeeder(made: MadeTorrent, host = '127.0.0.1'): Promise<RunningPeer> {
  return servePeer(['seed', made.torrent, made.dataParent, host], host);
}

/**
 * libtorrent holding `made` without its data files at `missing` (their places among the data files, pad files not
 * counted), after a recheck.
 */
export function startPartialPeer(made: MadeTorrent, missing: number[], host = '127.0.0.1'): Promise<RunningPeer> {
  // The helper drops files by their index in libtorrent's list, which counts the pad files.
  const dataFiles = made.files.map((path, index) => ({ path, index })).filter((f) => !f.path.includes('.pad'));
  const dropFiles = missing.map((n) => dataFiles[n].index);
  const copy = mkdtempSync(join(tmpdir(), 'torrent-lens-partial-'));
  cpSync(made.dataParent, copy, { recursive: true });
  return servePeer(['partial', made.torrent, copy, host, dropFiles.join(',')], host, () => rmSync(copy, { recursive: true, force: true }));
}
