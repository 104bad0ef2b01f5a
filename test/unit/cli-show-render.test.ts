// `show` writes its file listing from the path bytes. These tests hold the listing to the output of the
// object-based rendering it replaced (every file through `files.get(i)`, every string through
// displayText and the terminal escapes), byte for byte, on the whole corpus and on generated torrents
// whose names hold everything that needs escaping.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { encode, type Encodable } from '../../src/core/bencode/decode';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import type { Metainfo, TorrentFile } from '../../src/core/metainfo/types';
import { visibleText } from '../../src/core/text/display';
import { formatSize } from '../../src/shared/format';
import { showJsonSummary, showJsonText, showText, type ShowJson } from '../../src/cli/commands/show';
import { terminalJson } from '../../src/cli/terminal';
import { corpusRoot, corpusTorrents } from '../support/corpus';

// -------------------------------------------------------------------------------------------------------
// The object-based rendering, as it was

/** `show --json` with its file list built from the file objects; everything else is `show`'s own summary. */
function referenceJson(file: string, m: Metainfo, showSecrets: boolean): string {
  const files: ShowJson['files'] = [];
  for (let i = 0; i < m.files.count; i++) {
    const f = m.files.get(i);
    const entry: ShowJson['files'][number] = {
      path: f.path.map((p) => p.text),
      length: f.length,
      offset: f.offset,
      padding: f.padding,
      attributes: f.attributes,
      pathUtf8: f.path.every((p) => p.utf8),
    };
    if (f.piecesRoot !== undefined) entry.piecesRoot = f.piecesRoot;
    if (f.symlinkPath !== undefined) entry.symlinkPath = f.symlinkPath.map((p) => p.text);
    files.push(entry);
  }
  return `${terminalJson({ ...showJsonSummary(file, m, showSecrets), files })}\n`;
}

/** The FILES section of `show`, one line per file object (everything above it is unchanged by the byte-level listing). */
function referenceFileSection(m: Metainfo): string {
  const lines: string[] = [];
  for (let i = 0; i < m.files.count; i++) lines.push(`  ${referenceFileLine(m, m.files.get(i), m.singleFile)}`);
  return `${lines.join('\n')}\n`;
}

function referenceFileLine(m: Metainfo, f: TorrentFile, single: boolean): string {
  const elements = single ? f.path : [m.name, ...f.path];
  const filePath = elements.map((e) => visibleText(e.text)).join('/');
  const marks: string[] = [];
  if (f.padding) marks.push('padding');
  if (f.attributes.includes('x')) marks.push('executable');
  if (f.attributes.includes('h')) marks.push('hidden');
  if (f.symlinkPath) marks.push(`symlink to ${f.symlinkPath.map((p) => visibleText(p.text)).join('/')}`);
  if (!elements.every((e) => e.utf8)) marks.push('not UTF-8, shown as latin-1');
  return `${filePath} (${formatSize(f.length)})${marks.length > 0 ? ` [${marks.join(', ')}]` : ''}`;
}

// -------------------------------------------------------------------------------------------------------

const FILES_HEADING = '\nFILES\n\n';

function assertSameRendering(file: string, m: Metainfo): void {
  for (const showSecrets of [false, true]) {
    const text = showText(file, m, showSecrets);
    const at = text.indexOf(FILES_HEADING);
    assert.ok(at >= 0, `${file}: a FILES section`);
    assert.equal(text.slice(at + FILES_HEADING.length), referenceFileSection(m), `${file}: text, showSecrets ${showSecrets}`);
    assert.equal(showJsonText(file, m, showSecrets), referenceJson(file, m, showSecrets), `${file}: JSON, showSecrets ${showSecrets}`);
  }
}

function parsed(bytes: Uint8Array): Metainfo {
  const result = parseMetainfo(bytes);
  assert.ok(result.ok, result.ok ? '' : result.failure.message);
  return result.metainfo;
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const bytes = (...values: number[]) => new Uint8Array(values);
const PIECE = 16384;

/** Names with everything the listing must escape or mark, as raw bytes. */
const HOSTILE_ELEMENTS: Uint8Array[] = [
  utf8('plain.txt'),
  utf8('Données été.txt'),
  utf8('日本語のファイル.mkv'),
  utf8('emoji 🎬.mp4'),
  bytes(0x52, 0xe9, 0x73, 0x75, 0x6d, 0xe9), // latin-1 "Résumé": not UTF-8
  utf8('\x1b[31mred\x1b[0m'),
  utf8('cr\rlf\ntab\tbel\x07del\x7f'),
  utf8('c1 \u0085 \u009b controls'),
  utf8('bidi \u202eexe.txt \u2066isolate\u2069 \u200f'),
  utf8('quote " and back\\slash'),
  // One byte each that must not be copied as it is (text, JSON), next to the printable edges.
  utf8('del\x7f'),
  utf8('back\\slash'),
  utf8('quote"'),
  utf8('unit separator\x1f'),
  utf8(' ~tilde and spaces~ '),
  utf8('<b>html</b> & ampersand'),
  utf8(''),
  bytes(0xc3), // a truncated UTF-8 sequence
  bytes(0xed, 0xa0, 0x80), // an encoded surrogate: not strict UTF-8
  utf8('nul\0inside'),
];

test('show: the byte-level listing matches the object-based rendering on every corpus torrent that parses', () => {
  let compared = 0;
  for (const folder of ['gen', 'real', 'bad']) {
    for (const rel of corpusTorrents(folder)) {
      const result = parseMetainfo(new Uint8Array(readFileSync(path.join(corpusRoot, rel))));
      if (!result.ok) continue;
      assertSameRendering(rel, result.metainfo);
      compared++;
    }
  }
  assert.ok(compared >= 50, `only ${compared} corpus torrents parsed`);
});

test('show: hostile names in a v1 file list render exactly as before (escapes, latin-1 marks, path.utf-8, BEP 47)', () => {
  const files: Encodable[] = [];
  for (const [i, element] of HOSTILE_ELEMENTS.entries()) {
    files.push({ length: 100 + i, path: [element] });
    files.push({ length: 1 << (10 + i), path: [utf8(`dir ${i}`), element, utf8('leaf.bin')] });
  }
  files.push({ attr: 'p', length: 7 }); // a pad file without a path: listed as .pad/7
  files.push({ attr: 'p', length: 9, path: [utf8('.pad'), utf8('9')] });
  files.push({ length: 11, path: [utf8('_____padding_file_0_')] }); // BitComet's pad files
  files.push({ attr: 'xh', length: 12, path: [utf8('run.sh')] });
  files.push({ attr: 'l', length: 0, path: [utf8('link')], 'symlink path': [utf8('dir 0'), bytes(0xff, 0x1b)] });
  files.push({ attr: 'zz', length: 13, path: [utf8('unknown attr')] });
  files.push({ attr: utf8('xp"\\\x01\u202e'), length: 15, path: [utf8('attr that JSON escapes')] });
  files.push({ length: 14, path: [bytes(0x52, 0xe9)], 'path.utf-8': [utf8('Ré')] });
  files.push({ length: 2 ** 40 + 3, path: [utf8('big.bin')] });
  const pieceLength = 1 << 24;
  const pieces = (list: Encodable[]) =>
    new Uint8Array(20 * Math.ceil(list.reduce((sum: number, f) => sum + (f as { length: number }).length, 0) / pieceLength));
  const torrent = encode({
    announce: 'http://127.0.0.1:6969/announce?passkey=secret',
    info: { files, name: utf8('top\x1b]0;title\x07 \u202e'), 'piece length': pieceLength, pieces: pieces(files) },
  });
  const m = parsed(torrent);
  assert.equal(m.files.count, files.length);
  assertSameRendering('hostile-v1.torrent', m);

  // A name that is not UTF-8 marks every line.
  const latin1Name = encode({
    info: { files: files.slice(0, 6), name: bytes(0x4e, 0xe9), 'piece length': pieceLength, pieces: pieces(files.slice(0, 6)) },
  });
  assertSameRendering('latin1-name.torrent', parsed(latin1Name));
});

test('show: single-file torrents, with and without name.utf-8, render exactly as before', () => {
  for (const name of HOSTILE_ELEMENTS.slice(1)) {
    assertSameRendering('single.torrent', parsed(encode({ info: { length: 5, name, 'piece length': PIECE, pieces: new Uint8Array(20) } })));
  }
  const withUtf8Name = encode({
    info: { length: 5, name: bytes(0x4e, 0xe9), 'name.utf-8': utf8('Né \u202e'), 'piece length': PIECE, pieces: new Uint8Array(20) },
  });
  assertSameRendering('single-name-utf8.torrent', parsed(withUtf8Name));
});

test('show: a v2 file tree with hostile names and pieces roots renders exactly as before', () => {
  const tree = new Map<Uint8Array, Encodable>();
  HOSTILE_ELEMENTS.forEach((element, i) => {
    if (element.length === 0) return;
    const folder = new Map<Uint8Array, Encodable>([
      [utf8(`f${i}.bin`), { '': { length: 10 + i, 'pieces root': new Uint8Array(32).fill(i + 1) } }],
    ]);
    tree.set(element, folder);
  });
  const m = parsed(encode({ info: { name: utf8('tree \x1b'), 'meta version': 2, 'piece length': PIECE, 'file tree': tree } }));
  assert.equal(m.version, 'v2');
  assertSameRendering('hostile-v2.torrent', m);
});

test('show: 20,000 files, several output chunks long, render exactly as before', () => {
  const files: Encodable[] = [];
  for (let i = 0; i < 20_000; i++) {
    const name = i % 997 === 0 ? utf8(`é-${i}\x1b.bin`) : utf8(`file-${String(i).padStart(6, '0')}.bin`);
    files.push({ length: 1 + ((i * 7919) % 410_000), path: [utf8(`folder-${i % 100}`), name] });
  }
  const total = files.reduce((sum: number, f) => sum + (f as { length: number }).length, 0);
  const m = parsed(
    encode({ info: { files, name: utf8('many'), 'piece length': 1 << 22, pieces: new Uint8Array(20 * Math.ceil(total / (1 << 22))) } }),
  );
  assertSameRendering('many.torrent', m);
  assert.ok(Buffer.byteLength(showJsonText('many.torrent', m, false)) > 2 << 20, 'the JSON spans several 1 MiB chunks');
});
