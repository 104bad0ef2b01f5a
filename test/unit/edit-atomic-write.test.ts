// Saving atomically: the new bytes replace the file in one rename, its mode stays, a link stays a link, and a
// refused or failed save leaves the file as it was and no temporary file behind.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileWriteError, writeFileAtomic } from '../../src/core/edit/atomic-write';

function folder(): { dir: string; [Symbol.dispose](): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'torrent-lens-atomic-'));
  return { dir, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}

const bytes = (text: string) => new TextEncoder().encode(text);

test('a new file is written whole, with no temporary file left', async () => {
  using f = folder();
  const file = path.join(f.dir, 'new.torrent');
  await writeFileAtomic(file, bytes('d4:infodee'));
  assert.equal(readFileSync(file, 'utf8'), 'd4:infodee');
  assert.deepEqual(readdirSync(f.dir), ['new.torrent']);
  await writeFileAtomic(path.join(f.dir, 'mode.torrent'), bytes('x'), { mode: 0o600 });
  assert.equal(statSync(path.join(f.dir, 'mode.torrent')).mode & 0o777, 0o600);
});

test('an existing file is replaced and keeps its mode', async () => {
  using f = folder();
  const file = path.join(f.dir, 'a.torrent');
  writeFileSync(file, 'old contents');
  chmodSync(file, 0o640);
  const before = statSync(file);
  await writeFileAtomic(file, bytes('new'));
  const after = statSync(file);
  assert.equal(readFileSync(file, 'utf8'), 'new');
  assert.equal(after.mode & 0o7777, 0o640);
  assert.notEqual(after.ino, before.ino, 'a new file renamed into place');
  assert.deepEqual(readdirSync(f.dir), ['a.torrent']);
});

test('a symbolic link stays a link; the file it points to is replaced', async () => {
  using f = folder();
  const target = path.join(f.dir, 'real.torrent');
  const link = path.join(f.dir, 'link.torrent');
  writeFileSync(target, 'old');
  symlinkSync('real.torrent', link);
  assert.equal(await writeFileAtomic(link, bytes('new'), { syncFolder: false }), realpathSync(target), 'the path written');
  assert.ok(lstatSync(link).isSymbolicLink());
  assert.equal(readFileSync(target, 'utf8'), 'new');
  assert.deepEqual(readdirSync(f.dir).sort(), ['link.torrent', 'real.torrent']);
});

test('a read-only file is refused and left as it was (also for the superuser)', async () => {
  using f = folder();
  const file = path.join(f.dir, 'ro.torrent');
  writeFileSync(file, 'old');
  chmodSync(file, 0o444);
  await assert.rejects(
    writeFileAtomic(file, bytes('new')),
    (error: unknown) => error instanceof FileWriteError && error.code === 'read-only' && error.message === 'the file is read-only',
  );
  assert.equal(readFileSync(file, 'utf8'), 'old');
  assert.deepEqual(readdirSync(f.dir), ['ro.torrent']);
});

test('a folder that does not exist, or a directory in the way, is a clear error', async () => {
  using f = folder();
  await assert.rejects(
    writeFileAtomic(path.join(f.dir, 'missing', 'x.torrent'), bytes('x')),
    (error: unknown) => error instanceof FileWriteError && error.code === 'not-found',
  );
  await assert.rejects(
    writeFileAtomic(f.dir, bytes('x')),
    (error: unknown) => error instanceof FileWriteError && error.code === 'not-a-file',
  );
  assert.deepEqual(readdirSync(f.dir), []);
});

test('saves at the same time never mix: the file is one of them, whole', async () => {
  using f = folder();
  const file = path.join(f.dir, 'race.torrent');
  const versions = Array.from({ length: 12 }, (_, i) => String(i).repeat(200_000 + i));
  await Promise.all(versions.map((text) => writeFileAtomic(file, bytes(text))));
  assert.ok(versions.includes(readFileSync(file, 'utf8')));
  assert.deepEqual(readdirSync(f.dir), ['race.torrent']);
});
