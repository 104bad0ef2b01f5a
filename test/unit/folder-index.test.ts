import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encode, type Encodable } from '../../src/core/bencode/decode';
import { FolderIndex, ROOT_FOLDER, type FileListLike } from '../../src/core/metainfo/folder-index';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import { corpusTorrents, readCorpus } from '../support/corpus';

function files(list: { path: string[]; length: number; padding?: boolean; latin1?: boolean }[]): FileListLike {
  return {
    count: list.length,
    get: (i) => ({
      path: list[i].path.map((text) => ({ text, utf8: !list[i].latin1 })),
      length: list[i].length,
      padding: list[i].padding ?? false,
    }),
  };
}

function names(index: FolderIndex, folder: number, list: FileListLike): string[] {
  const out: string[] = [];
  for (let i = 0; i < index.entryCount(folder); i++) {
    const entry = index.entry(folder, i);
    if (entry.kind === 'folder') out.push(`${index.folder(entry.folder).name.text}/`);
    else out.push(list.get(entry.file).path.at(-1)!.text);
  }
  return out;
}

test('folders keep the order in which the torrent first mentions their entries', () => {
  const list = files([
    { path: ['b.txt'], length: 1 },
    { path: ['docs', 'z.md'], length: 10 },
    { path: ['a.txt'], length: 2 },
    { path: ['docs', 'a.md'], length: 20 },
    { path: ['docs', 'img', 'x.png'], length: 100 },
    { path: ['.pad', '123'], length: 5, padding: true },
  ]);
  const index = FolderIndex.build(list);
  assert.deepEqual(names(index, ROOT_FOLDER, list), ['b.txt', 'docs/', 'a.txt', '.pad/']);
  const docs = index.entry(ROOT_FOLDER, 1);
  assert.equal(docs.kind, 'folder');
  if (docs.kind !== 'folder') return;
  assert.deepEqual(names(index, docs.folder, list), ['z.md', 'a.md', 'img/']);
  const record = index.folder(docs.folder);
  assert.equal(record.fileCount, 3);
  assert.equal(record.totalLength, 130);
  assert.equal(record.depth, 1);
  const root = index.folder(ROOT_FOLDER);
  assert.equal(root.fileCount, 6);
  assert.equal(root.padCount, 1);
  assert.equal(root.totalLength, 138);
  assert.equal(index.folderCount, 4);
});

test('pathTo gives the positions from the root to a file', () => {
  const list = files([
    { path: ['a', 'b', 'c.txt'], length: 1 },
    { path: ['a', 'd.txt'], length: 1 },
    { path: ['e.txt'], length: 1 },
    { path: ['a', 'b', 'f.txt'], length: 1 },
  ]);
  const index = FolderIndex.build(list);
  assert.deepEqual(index.pathTo(0), [0, 0, 0]);
  assert.deepEqual(index.pathTo(1), [0, 1]);
  assert.deepEqual(index.pathTo(2), [1]);
  assert.deepEqual(index.pathTo(3), [0, 0, 1]);
  assert.equal(index.pathTo(4), undefined);
  assert.equal(index.folderOf(3), index.folderOf(0));
});

test('the same text as UTF-8 and as latin-1 names two different folders', () => {
  const list = files([
    { path: ['caf\u00e9', '1'], length: 1 },
    { path: ['caf\u00e9', '2'], length: 1, latin1: true },
  ]);
  const index = FolderIndex.build(list);
  assert.equal(index.entryCount(ROOT_FOLDER), 2);
});

test('a 100,000-file torrent in 100 folders indexes to 101 folder records', () => {
  const count = 100_000;
  const list: FileListLike = {
    count,
    get: (i) => ({
      path: [
        { text: `folder-${i % 100}`, utf8: true },
        { text: `file-${i}.bin`, utf8: true },
      ],
      length: 1000 + i,
      padding: false,
    }),
  };
  const index = FolderIndex.build(list);
  assert.equal(index.folderCount, 101);
  assert.equal(index.entryCount(ROOT_FOLDER), 100);
  assert.equal(index.folder(ROOT_FOLDER).fileCount, count);
  const first = index.entry(ROOT_FOLDER, 0);
  assert.equal(first.kind === 'folder' && index.entryCount(first.folder), 1000);
  assert.deepEqual(index.pathTo(99_999), [99, 999]);
});

// The model's file table lets the index group files on their path bytes; the result must be the index
// built from the decoded paths, folder for folder.

function objectPathIndex(files: FileListLike): FolderIndex {
  return FolderIndex.build({ count: files.count, get: (i) => files.get(i) });
}

function assertSameIndex(bytesIndex: FolderIndex, objectIndex: FolderIndex, count: number, what: string): void {
  assert.deepEqual(bytesIndex.folders, objectIndex.folders, `${what}: folder records`);
  for (let file = 0; file < count; file++)
    assert.equal(bytesIndex.folderOf(file), objectIndex.folderOf(file), `${what}: folder of file ${file}`);
}

test('grouping on path bytes gives the same index as grouping on decoded paths (corpus)', () => {
  let compared = 0;
  for (const folder of ['gen', 'real', 'bad']) {
    for (const rel of corpusTorrents(folder)) {
      const result = parseMetainfo(readCorpus(rel));
      if (!result.ok) continue;
      const files = result.metainfo.files;
      assertSameIndex(FolderIndex.build(files), objectPathIndex(files), files.count, rel);
      compared++;
    }
  }
  assert.ok(compared >= 50, `only ${compared} corpus torrents parsed`);
});

test('grouping on path bytes: UTF-8 and latin-1 names, path.utf-8, pad files without a path, a v2 file tree', () => {
  const utf8 = (text: string) => new TextEncoder().encode(text);
  const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
  const files: Encodable[] = [
    { length: 1, path: [utf8('café'), utf8('a')] },
    { length: 2, path: [latin1('café'), utf8('b')] },
    { length: 3, path: [utf8('café'), utf8('sub'), utf8('c')] },
    { attr: 'p', length: 4 },
    { length: 5, path: [utf8('.pad'), utf8('x')] },
    { attr: 'p', length: 6 },
    { length: 7, path: [latin1('Donn\xe9es'), utf8('d')], 'path.utf-8': [utf8('Données'), utf8('d')] },
    { length: 8, path: [utf8('Données'), utf8('e')] },
    { length: 9, path: [utf8(''), utf8('empty folder name')] },
    { length: 10, path: [utf8('\x1b[31m'), utf8('\u202e'), utf8('f')] },
    { length: 11, path: [utf8('top.txt')] },
  ];
  const v1 = parseMetainfo(encode({ info: { files, name: 'mixed', 'piece length': 16384, pieces: new Uint8Array(20) } }));
  assert.ok(v1.ok);
  assertSameIndex(FolderIndex.build(v1.metainfo.files), objectPathIndex(v1.metainfo.files), files.length, 'v1');
  const index = FolderIndex.build(v1.metainfo.files);
  assert.deepEqual(
    index.folders.map((f) => f.name.text),
    ['', 'café', 'café', 'sub', '.pad', 'Données', '', '\x1b[31m', '\u202e'],
    'UTF-8 and latin-1 readings are two folders; path.utf-8 and a stored UTF-8 path are one; pad files without a path join .pad',
  );

  const tree = new Map<Uint8Array, Encodable>([
    [
      utf8('dir'),
      {
        'a.bin': { '': { length: 1, 'pieces root': new Uint8Array(32).fill(1) } },
        sub: { 'b.bin': { '': { length: 2, 'pieces root': new Uint8Array(32).fill(2) } } },
      },
    ],
    [latin1('d\xefr'), { 'c.bin': { '': { length: 3, 'pieces root': new Uint8Array(32).fill(3) } } }],
    [utf8('top.bin'), { '': { length: 4, 'pieces root': new Uint8Array(32).fill(4) } }],
  ]);
  const v2 = parseMetainfo(encode({ info: { name: 'tree', 'meta version': 2, 'piece length': 16384, 'file tree': tree } }));
  assert.ok(v2.ok);
  assertSameIndex(FolderIndex.build(v2.metainfo.files), objectPathIndex(v2.metainfo.files), v2.metainfo.files.count, 'v2');
});

test('grouping on path bytes: 100,000 files in 1,100 folders', () => {
  const files: Encodable[] = [];
  for (let i = 0; i < 100_000; i++) files.push({ length: 1 + i, path: [`folder-${i % 100}`, `sub-${(i >> 7) % 10}`, `file-${i}.bin`] });
  const result = parseMetainfo(encode({ info: { files, name: 'large', 'piece length': 1 << 24, pieces: new Uint8Array(20 * 299) } }));
  assert.ok(result.ok, result.ok ? '' : result.failure.message);
  const index = FolderIndex.build(result.metainfo.files);
  assertSameIndex(index, objectPathIndex(result.metainfo.files), files.length, '100,000 files');
  assert.equal(index.folderCount, 1 + 100 + 1000);
});
