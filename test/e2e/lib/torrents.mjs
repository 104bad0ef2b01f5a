// Torrents made on the fly with the project's own encoder (src/core/bencode.ts, bundled by esbuild at
// load time so these plain-JS tools need no build step).
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { repoRoot } from './harness.mjs';

/**
 * Imports a TypeScript module of the project (e.g. 'src/core/bencode/decode.ts'), bundled with its own imports;
 * npm packages stay imports, resolved from the repository's node_modules (hence a folder inside it).
 */
export async function importSource(relativePath) {
  const cache = join(repoRoot, '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'source-'));
  try {
    const outfile = join(dir, 'module.mjs');
    await esbuild.build({
      entryPoints: [join(repoRoot, relativePath)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Writes a valid v1 torrent with `fileCount` files spread over nested folders (100 top-level folders of
 * 10 subfolders each by default), and a `pieces` field that matches the total size. Returns its info hash
 * and shape, for assertions.
 * @param {string} path
 * @param {{ fileCount?: number, pieceLength?: number, name?: string, announce?: string }} [options]
 */
export async function writeManyFilesTorrent(
  path,
  { fileCount = 100_000, pieceLength = 16_384, name = 'many-files', announce = 'http://127.0.0.1:6969/announce' } = {},
) {
  const { encode } = await importSource('src/core/bencode/decode.ts');
  const files = [];
  let totalLength = 0;
  for (let i = 0; i < fileCount; i++) {
    // Sizes vary so the tree shows different numbers; folders keep a realistic depth.
    const length = 1 + ((i * 7919) % 250_000);
    totalLength += length;
    files.push({
      length,
      path: [`folder-${String(i % 100).padStart(2, '0')}`, `sub-${(i >> 7) % 10}`, `file-${String(i).padStart(6, '0')}.bin`],
    });
  }
  const pieceCount = Math.ceil(totalLength / pieceLength);
  const info = { files, name, 'piece length': pieceLength, pieces: randomBytes(pieceCount * 20) };
  const infoBytes = encode(info);
  const torrent = encode({ announce, 'created by': 'Torrent Lens tests', 'creation date': 1_700_000_000, info });
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, torrent);
  return {
    infoHashV1: createHash('sha1').update(infoBytes).digest('hex'),
    name,
    fileCount,
    totalLength,
    pieceCount,
    bytes: torrent.length,
  };
}
