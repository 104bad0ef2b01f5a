// The reference tools that create and verify are checked against: libtorrent through its Python
// bindings (libtorrent-tool.py beside this file) and mktorrent, both from Debian
// (scripts/install-system-deps.sh installs them).

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './corpus';

/** Debian's Python, which has the libtorrent bindings (another python3 on PATH may not). */
const PYTHON = '/usr/bin/python3';
const LIBTORRENT_TOOL = path.join(repoRoot, 'test', 'support', 'libtorrent-tool.py');

function libtorrent<T>(...args: string[]): T {
  return JSON.parse(execFileSync(PYTHON, [LIBTORRENT_TOOL, ...args], { encoding: 'utf8', timeout: 180_000 })) as T;
}

export interface InfoHashes {
  v1: string | null;
  v2: string | null;
}

/** libtorrent's create_torrent on `target` (v1_only, v2_only or hybrid); writes `out` and returns its info hashes. */
export function libtorrentCreate(target: string, pieceLength: number, version: 'v1' | 'v2' | 'hybrid', out: string): InfoHashes {
  return libtorrent<InfoHashes>('create', target, String(pieceLength), version, out);
}

export interface LibtorrentView extends InfoHashes {
  name: string;
  pieceLength: number;
  pieceCount: number;
  /** Paths start with the torrent's name, '/'-separated. */
  files: { path: string; size: number; pad: boolean }[];
}

/** The torrent as libtorrent reads it (with raised limits); throws when libtorrent refuses it. */
export function libtorrentLoad(torrentPath: string): LibtorrentView {
  return libtorrent<LibtorrentView>('load', torrentPath);
}

/** libtorrent's force_recheck of the data under `savePath` (the folder that holds the torrent's name). */
export function libtorrentRecheck(torrentPath: string, savePath: string): { pieceCount: number; badPieces: number[] } {
  return libtorrent('recheck', torrentPath, savePath);
}

/** libtorrent's automatic piece length (create_torrent with piece size 0) for each total size. */
export function libtorrentAutoPieceLength(sizes: number[]): { v1: number; hybrid: number }[] {
  return libtorrent('auto-piece-length', ...sizes.map(String));
}

/** mktorrent on `target` with pieces of 2^`exponent` bytes; returns the .torrent's bytes. */
export function mktorrent(target: string, exponent: number, out: string, extra: string[] = []): Uint8Array {
  execFileSync('mktorrent', ['-l', String(exponent), '-o', out, ...extra, target], { stdio: 'pipe', timeout: 60_000 });
  return readFileSync(out);
}
