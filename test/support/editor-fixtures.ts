// Torrents the editor tests build with the project's own encoder.
import { encode, type Encodable } from '../../src/core/bencode/decode';
import type { SessionHost } from '../../src/view-model/editor/session';

/** Deterministic filler for hash bytes (not random, so failures reproduce). */
export function filler(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = s & 0xff;
  }
  return out;
}

export interface BigTorrentOptions {
  files?: number;
  folders?: number;
  pieceCount?: number;
  pieceLength?: number;
  announce?: string;
}

/**
 * A v1 multi-file torrent shaped like the large ones users open: by default 100,000 files in 100
 * folders and 978,495 piece hashes (a 19.6 MB `pieces` string, 24 MB in all).
 */
export function bigTorrent(options: BigTorrentOptions = {}): Uint8Array {
  const fileCount = options.files ?? 100_000;
  const folders = options.folders ?? 100;
  const pieceCount = options.pieceCount ?? 978_495;
  const pieceLength = options.pieceLength ?? 16384;
  const total = pieceCount * pieceLength - 1000;
  const each = Math.floor(total / fileCount);
  const files: Encodable[] = [];
  for (let i = 0; i < fileCount; i++) {
    const length = i === fileCount - 1 ? total - each * (fileCount - 1) : each;
    files.push({ length, path: [`folder-${String(i % folders).padStart(3, '0')}`, `file-${String(i).padStart(6, '0')}.bin`] });
  }
  return encode({
    announce: options.announce ?? 'http://127.0.0.1:6969/announce',
    'created by': 'Torrent Lens tests',
    'creation date': 1_700_000_000,
    info: { files, name: 'big', 'piece length': pieceLength, pieces: filler(pieceCount * 20, 42) },
  });
}

/** A v1 multi-file torrent with these files (`path` split on `/`, as bytes when given as such). */
export function filesTorrent(
  files: { path: string | (string | Uint8Array)[]; length: number; attr?: string }[],
  options: { name?: string; pieceLength?: number; extra?: Record<string, Encodable> } = {},
): Uint8Array {
  const pieceLength = options.pieceLength ?? 16384;
  const total = files.reduce((sum, file) => sum + file.length, 0);
  return encode({
    announce: 'http://127.0.0.1:6969/announce',
    ...options.extra,
    info: {
      files: files.map((file) => ({
        length: file.length,
        path: typeof file.path === 'string' ? file.path.split('/') : file.path,
        ...(file.attr ? { attr: file.attr } : {}),
      })),
      name: options.name ?? 'files',
      'piece length': pieceLength,
      pieces: filler(Math.max(1, Math.ceil(total / pieceLength)) * 20, 7),
    },
  });
}

/** An editor session's outside world that does nothing: no clipboard, editors, trackers or links. Tests override what they watch. */
export function quietSessionHost(overrides: Partial<SessionHost> = {}): SessionHost {
  return {
    writeClipboard: async () => {},
    trackerCommand: async () => {},
    openAsText: async () => {},
    rawEditor: () => 'text',
    openExternal: async () => {},
    showSecretsSetting: () => false,
    ...overrides,
  };
}
