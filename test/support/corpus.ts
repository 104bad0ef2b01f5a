// The test corpus (`test/fixtures/corpus`, see its SOURCES.md): its ground truth, its malformed
// files, and what Torrent Lens must say about each.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: tests run from out/test/unit/. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const corpusRoot = path.join(repoRoot, 'test', 'fixtures', 'corpus');
export const cliPath = path.join(repoRoot, 'dist', 'cli.js');

/** A string from truth.json: plain text, or the latin-1 reading of bytes that are not UTF-8. */
export type TruthText = string | { hex: string; latin1: string; invalidUtf8: boolean };

export interface TruthFile {
  path: TruthText[];
  length: number;
  pad?: boolean;
  attr?: string;
  piecesRoot?: string;
  pathUtf8Key?: string[];
}

export interface TruthTorrent {
  kind: 'v1' | 'v2' | 'hybrid';
  infoHashV1: string | null;
  infoHashV2: string | null;
  infoHashV2Truncated: string | null;
  sha1OfReencodedInfo: string | null;
  infoIsCanonical: boolean;
  infoOffset: [number, number];
  name: TruthText;
  nameUtf8Key?: string;
  metaVersion: number | null;
  pieceLength: number;
  totalLength: number;
  totalLengthWithoutPad: number;
  fileCount: number;
  padFileCount: number;
  pieceCount: number;
  pieceLayersEntries?: number;
  files: TruthFile[];
  trackerTiers: string[][];
  urlList: string[];
  httpSeeds: string[];
  nodes: [string, number][];
  private: boolean;
  comment: TruthText | null;
  createdBy: TruthText | null;
  creationDate: number | null;
}

export function loadTruth(): [file: string, truth: TruthTorrent][] {
  const json = JSON.parse(readFileSync(path.join(corpusRoot, 'truth.json'), 'utf8')) as { torrents: Record<string, TruthTorrent> };
  return Object.entries(json.torrents);
}

export function textOf(value: TruthText): string {
  return typeof value === 'string' ? value : value.latin1;
}

export function isInvalidUtf8(value: TruthText): boolean {
  return typeof value !== 'string' && value.invalidUtf8;
}

export interface Defect {
  file: string;
  category: string;
  defect: string;
  careful_parser_says: string;
}

/** Every malformed file with the verdict asked for: defects.json, plus the one the README lists that it does not. */
export function loadDefects(): Defect[] {
  const defects = JSON.parse(readFileSync(path.join(corpusRoot, 'bad', 'defects.json'), 'utf8')) as Defect[];
  if (
    !defects.some((d) => d.file === 'webtorrent-fixtures-corrupt.torrent') &&
    existsSync(path.join(corpusRoot, 'bad', 'webtorrent-fixtures-corrupt.torrent'))
  ) {
    defects.push({
      file: 'webtorrent-fixtures-corrupt.torrent',
      category: 'structure',
      defect: "info has no 'name'",
      careful_parser_says: 'reject: missing info.name',
    });
  }
  return defects;
}

export type Verdict = 'reject' | 'accept' | 'either';

/** Reads the verdict out of "reject: …", "accept with warning: …", "reject or warn: …" and the like. */
export function verdictOf(says: string): Verdict {
  if (/^reject:/.test(says)) return 'reject';
  if (/^accept with warning:/.test(says)) return 'accept';
  return 'either';
}

/**
 * What Torrent Lens says about each malformed file: the failure code (reject) or the diagnostic code
 * (accept) that names its defect. Reviewed against bad/README.md one by one.
 */
export const EXPECTED_CODES: Record<string, { reject?: string; warn?: string }> = {
  'empty-file.torrent': { reject: 'empty' },
  'truncated-mid-pieces.torrent': { reject: 'string-overrun' },
  'truncated-missing-final-e.torrent': { reject: 'unexpected-end' },
  'truncated-in-integer.torrent': { reject: 'unexpected-end' },
  'truncated-after-key.torrent': { reject: 'unexpected-end' },
  'bad-length-prefix-too-long.torrent': { reject: 'string-overrun' },
  'huge-length-prefix.torrent': { reject: 'string-overrun' },
  'length-prefix-overflow-u64.torrent': { reject: 'string-overrun' },
  'negative-length-prefix.torrent': { reject: 'invalid-string-length' },
  'length-prefix-leading-zero.torrent': { reject: 'invalid-string-length' },
  'length-prefix-with-space.torrent': { reject: 'invalid-string-length' },
  'int-leading-zero.torrent': { reject: 'invalid-integer' },
  'int-negative-zero.torrent': { reject: 'invalid-integer' },
  'int-empty.torrent': { reject: 'invalid-integer' },
  'int-minus-only.torrent': { reject: 'invalid-integer' },
  'int-plus-sign.torrent': { reject: 'invalid-integer' },
  'int-non-digit.torrent': { reject: 'invalid-integer' },
  'int-overflow-64bit.torrent': { reject: 'integer-out-of-range' },
  'int-beyond-2p53.torrent': { reject: 'pieces-count' },
  'nested-list-depth-100000.torrent': { reject: 'too-deep' },
  'nested-dict-depth-100000.torrent': { reject: 'too-deep' },
  'dict-int-key.torrent': { reject: 'key-not-string' },
  'dict-list-key.torrent': { reject: 'key-not-string' },
  'duplicate-key-in-info.torrent': { warn: 'duplicate-key' },
  'duplicate-info-key.torrent': { reject: 'duplicate-info' },
  'unsorted-keys-top.torrent': { warn: 'unsorted-key' },
  'trailing-garbage.torrent': { reject: 'trailing-data' },
  'trailing-newline.torrent': { warn: 'trailing-whitespace' },
  'utf8-bom-prefix.torrent': { reject: 'not-bencode' },
  'html-page.torrent': { reject: 'not-bencode' },
  'gzip-compressed.torrent': { reject: 'not-bencode' },
  'magnet-text.torrent': { reject: 'not-bencode' },
  'unexpected-byte.torrent': { reject: 'key-not-string' },
  'root-is-list.torrent': { reject: 'root-not-dict' },
  'root-is-string.torrent': { reject: 'root-not-dict' },
  'root-is-int.torrent': { reject: 'root-not-dict' },
  'missing-info.torrent': { reject: 'missing-info' },
  'info-is-list.torrent': { reject: 'info-not-dict' },
  'info-is-string.torrent': { reject: 'info-not-dict' },
  'info-empty-dict.torrent': { reject: 'info-incomplete' },
  'missing-name.torrent': { reject: 'missing-name' },
  'name-is-int.torrent': { reject: 'name-not-string' },
  'empty-name.torrent': { warn: 'empty-name' },
  'missing-piece-length.torrent': { reject: 'missing-piece-length' },
  'zero-piece-length.torrent': { reject: 'piece-length-invalid' },
  'negative-piece-length.torrent': { reject: 'piece-length-invalid' },
  'huge-piece-length.torrent': { reject: 'piece-length-too-large' },
  'piece-length-string.torrent': { reject: 'piece-length-not-integer' },
  'missing-pieces.torrent': { reject: 'missing-pieces' },
  'pieces-len-19.torrent': { reject: 'pieces-length' },
  'pieces-len-25.torrent': { reject: 'pieces-length' },
  'pieces-too-few.torrent': { reject: 'pieces-count' },
  'pieces-too-many.torrent': { reject: 'pieces-count' },
  'pieces-is-list.torrent': { reject: 'pieces-not-string' },
  'negative-length.torrent': { reject: 'negative-length' },
  'length-is-string.torrent': { reject: 'length-not-integer' },
  'zero-length-single.torrent': { warn: 'no-data' },
  'no-length-no-files.torrent': { reject: 'missing-length' },
  'length-and-files.torrent': { warn: 'length-and-files' },
  'files-empty-list.torrent': { reject: 'no-files' },
  'files-not-list.torrent': { reject: 'files-not-list' },
  'file-entry-not-dict.torrent': { reject: 'file-not-dict' },
  'file-negative-length.torrent': { reject: 'negative-length' },
  'file-missing-path.torrent': { reject: 'file-path-missing' },
  'file-path-empty-list.torrent': { reject: 'file-path-empty' },
  'file-path-not-list.torrent': { reject: 'file-path-not-list' },
  'file-path-element-int.torrent': { reject: 'path-element-not-string' },
  'file-lengths-overflow.torrent': { reject: 'total-length-overflow' },
  'private-is-string.torrent': { warn: 'private-not-integer' },
  'private-is-2.torrent': { warn: 'private-unusual' },
  'announce-is-int.torrent': { warn: 'announce-invalid' },
  'announce-list-not-list.torrent': { warn: 'announce-list-invalid' },
  'announce-list-tier-not-list.torrent': { warn: 'announce-list-invalid' },
  'url-list-int.torrent': { warn: 'web-seed-invalid' },
  'nodes-malformed.torrent': { warn: 'node-invalid' },
  'meta-version-3.torrent': { reject: 'meta-version-unsupported' },
  'v2-without-file-tree.torrent': { reject: 'missing-file-tree' },
  'path-dotdot-traversal.torrent': { warn: 'path-traversal' },
  'path-dotdot-in-name.torrent': { warn: 'path-traversal' },
  'name-with-slashes-traversal.torrent': { warn: 'path-traversal' },
  'path-absolute.torrent': { warn: 'path-absolute' },
  'path-element-with-slash.torrent': { warn: 'path-separator' },
  'path-windows-absolute.torrent': { warn: 'path-absolute' },
  'path-backslash-traversal.torrent': { warn: 'path-traversal' },
  'path-empty-element.torrent': { warn: 'path-empty-element' },
  'path-dot-element.torrent': { warn: 'path-dot-element' },
  'path-nul-byte.torrent': { warn: 'path-nul' },
  'path-windows-reserved.torrent': { warn: 'windows-reserved-name' },
  'path-duplicate-files.torrent': { warn: 'path-duplicate' },
  'path-file-dir-collision.torrent': { warn: 'path-collision' },
  'name-overlong-utf8-slash.torrent': { warn: 'not-utf8' },
  'name-100k-bytes.torrent': { warn: 'name-too-long' },
  'name-control-chars.torrent': { warn: 'control-characters' },
  'webtorrent-fixtures-corrupt.torrent': { reject: 'missing-name' },
};

/** Every .torrent under a corpus folder, as paths relative to the corpus root. */
export function corpusTorrents(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(corpusRoot, dir)).sort()) {
      const rel = path.join(dir, name);
      if (statSync(path.join(corpusRoot, rel)).isDirectory()) walk(rel);
      else if (name.endsWith('.torrent')) out.push(rel);
    }
  };
  walk(folder);
  return out;
}

export function readCorpus(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(corpusRoot, rel)));
}
