import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FileTreeIndex, ROOT_FOLDER, type FileListLike } from '../../src/core/file-tree';

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

function names(index: FileTreeIndex, folder: number, list: FileListLike): string[] {
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
  const index = FileTreeIndex.build(list);
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
  const index = FileTreeIndex.build(list);
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
  const index = FileTreeIndex.build(list);
  assert.equal(index.entryCount(ROOT_FOLDER), 2);
});

test('a 100,000-file torrent in 100 folders indexes to 101 folder records', () => {
  const count = 100_000;
  const list: FileListLike = {
    count,
    get: (i) => ({ path: [{ text: `folder-${i % 100}`, utf8: true }, { text: `file-${i}.bin`, utf8: true }], length: 1000 + i, padding: false }),
  };
  const index = FileTreeIndex.build(list);
  assert.equal(index.folderCount, 101);
  assert.equal(index.entryCount(ROOT_FOLDER), 100);
  assert.equal(index.folder(ROOT_FOLDER).fileCount, count);
  const first = index.entry(ROOT_FOLDER, 0);
  assert.equal(first.kind === 'folder' && index.entryCount(first.folder), 1000);
  assert.deepEqual(index.pathTo(99_999), [99, 999]);
});
