// Every torrent of the shared corpus through the metainfo model: truth.json field by field, and every
// malformed file against the verdict bad/README.md asks for.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMetainfo, parseMetainfoAsync } from '../../src/core/metainfo/parse';
import type { MetainfoResult } from '../../src/core/metainfo/types';
import type { Metainfo, TorrentText } from '../../src/core/metainfo/types';
import {
  corpusTorrents,
  EXPECTED_CODES,
  isInvalidUtf8,
  loadDefects,
  loadTruth,
  readCorpus,
  textOf,
  verdictOf,
  type TruthText,
} from '../support/corpus';

function parseOk(file: string): Metainfo {
  const result = parseMetainfo(readCorpus(file));
  if (!result.ok) assert.fail(`${file}: ${result.failure.code}: ${result.failure.message}`);
  return result.metainfo;
}

/** A string against truth: same text; bytes that are not UTF-8 must be flagged (here or in the raw form shown beside it). */
function assertText(actual: TorrentText | undefined, raw: TorrentText | undefined, expected: TruthText | null, what: string): void {
  if (expected === null) {
    assert.equal(actual, undefined, `${what} should be absent`);
    return;
  }
  assert.ok(actual, `${what} missing`);
  assert.equal(actual.text, textOf(expected), what);
  if (isInvalidUtf8(expected))
    assert.ok(!actual.utf8 || (raw !== undefined && !raw.utf8 && raw.text === textOf(expected)), `${what}: invalid UTF-8 must be flagged`);
  else assert.ok(actual.utf8, `${what} is valid UTF-8`);
}

for (const [file, truth] of loadTruth()) {
  test(`truth: ${file}`, () => {
    const m = parseOk(file);
    assert.equal(m.infoHash.v1 ?? null, truth.infoHashV1, 'info hash v1');
    assert.equal(m.infoHash.v2 ?? null, truth.infoHashV2, 'info hash v2');
    assert.equal(m.infoHash.v2Truncated ?? null, truth.infoHashV2Truncated, 'truncated v2');
    assert.equal(m.version, truth.kind);
    assert.equal(m.metaVersion ?? null, truth.metaVersion);
    assert.deepEqual([m.infoSpan.start, m.infoSpan.end], truth.infoOffset, 'info span');
    assert.equal(m.infoCanonical, truth.infoIsCanonical, 'canonical');
    if (!truth.infoIsCanonical) {
      assert.equal(m.reencodedInfoHashV1, truth.sha1OfReencodedInfo, 're-encoded hash');
      assert.ok(m.diagnostics.some((d) => d.code === 'info-not-canonical' && d.message.includes(truth.sha1OfReencodedInfo as string)));
    } else {
      assert.equal(m.reencodedInfoHashV1, undefined);
    }
    assertText(m.name, m.rawName, truth.name, 'name');
    assert.equal(m.totalLength, truth.totalLength, 'total length');
    assert.equal(m.paddingLength, truth.totalLength - truth.totalLengthWithoutPad, 'padding length');
    assert.equal(m.pieceLength, truth.pieceLength, 'piece length');
    assert.equal(m.pieceCount, truth.pieceCount, 'piece count');
    assert.equal(m.files.count, truth.fileCount, 'file count');
    assert.equal(m.files.padCount, truth.padFileCount, 'pad file count');
    if (truth.pieceLayersEntries !== undefined) assert.equal(m.pieceLayerCount, truth.pieceLayersEntries, 'piece layers');

    const files = [...m.files];
    assert.equal(files.length, truth.files.length);
    let offset = 0;
    truth.files.forEach((want, i) => {
      const got = files[i];
      assert.deepEqual(got, m.files.get(i), 'iterator and get() agree');
      assert.equal(got.index, i);
      assert.equal(got.length, want.length, `files[${i}].length`);
      assert.equal(got.offset, offset, `files[${i}].offset`);
      offset += want.length;
      assert.equal(got.path.length, want.path.length, `files[${i}].path length`);
      want.path.forEach((element, e) => assertText(got.path[e], got.rawPath?.[e], element, `files[${i}].path[${e}]`));
      if (want.pathUtf8Key)
        assert.deepEqual(
          got.path.map((p) => p.text),
          want.pathUtf8Key,
          'path.utf-8 is shown',
        );
      assert.equal(got.padding, want.pad === true, `files[${i}].padding`);
      assert.equal(got.attributes, want.attr ?? '', `files[${i}].attr`);
      if (want.piecesRoot !== undefined) assert.equal(got.piecesRoot, want.piecesRoot, `files[${i}].piecesRoot`);
      assert.ok(m.document.isDict(got.token), 'file token is a dictionary');
    });

    assert.deepEqual(m.trackers, truth.trackerTiers, 'tracker tiers');
    assert.deepEqual(m.webSeeds, truth.urlList, 'url-list');
    assert.deepEqual(m.httpSeeds, truth.httpSeeds, 'httpseeds');
    assert.deepEqual(
      m.nodes.map((n) => [n.host, n.port]),
      truth.nodes,
      'nodes',
    );
    assert.equal(m.private, truth.private, 'private');
    assertText(m.comment, undefined, truth.comment, 'comment');
    assertText(m.createdBy, undefined, truth.createdBy, 'created by');
    assert.equal(m.creationDate ?? null, truth.creationDate, 'creation date');
    for (const d of m.diagnostics) {
      assert.ok(d.severity === 'warning' || d.severity === 'info', `${d.code} is not fatal`);
      assert.ok(d.message.length > 0);
      if (d.offset !== undefined) assert.ok(d.offset >= 0 && d.offset < m.document.data.length, `${d.code} offset in the file`);
    }
  });
}

test('truth: the known oddities are reported', () => {
  const codes = (file: string) => parseOk(file).diagnostics.map((d) => d.code);
  assert.ok(codes('gen/hand-noncanonical-unsorted-keys.torrent').includes('unsorted-key'));
  assert.ok(codes('gen/hand-piece-length-not-power-of-2.torrent').includes('piece-length-not-power-of-two'));
  assert.ok(codes('gen/hand-latin1-name.torrent').includes('not-utf8'));
  assert.ok(codes('gen/hand-odd-metadata.torrent').includes('control-characters'));
  assert.ok(codes('gen/lt-v1-injection.torrent').includes('bidi-control'), 'U+202E in a file name is flagged');
  const quirks = codes('gen/hand-announce-list-quirks.torrent');
  for (const code of ['tracker-whitespace', 'tracker-url-invalid', 'announce-list-empty-tier', 'announce-ignored'] as const)
    assert.ok(quirks.includes(code), code);
  const extra = parseOk('gen/hand-extra-info-keys.torrent');
  assert.deepEqual(
    extra.unknownKeys.map((k) => `${k.parent}.${k.key.text}`),
    ['info.x-unknown-int', 'info.x-unknown-list'],
  );
  assert.equal(extra.source?.text, 'LAB');
  const proto = parseOk('gen/hand-proto-key.torrent');
  assert.deepEqual(
    proto.unknownKeys.map((k) => `${k.parent}.${k.key.text}`),
    ['root.__proto__', 'info.__proto__', 'info.constructor'],
  );
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
  for (const file of ['gen/hand-key-order-utf16.torrent', 'gen/hand-non-utf8-key.torrent', 'gen/hand-proto-key.torrent']) {
    const m = parseOk(file);
    assert.ok(m.infoCanonical, file);
    assert.match(m.webtorrentInfoHashV1 ?? '', /^[0-9a-f]{40}$/, `${file}: npm bencode re-encodes it differently`);
    assert.ok(
      m.diagnostics.some((d) => d.code === 'reencoding-differs'),
      file,
    );
  }
  assert.equal(parseOk('gen/lt-v1-utf8-names.torrent').webtorrentInfoHashV1, undefined, 'UTF-8 path elements are values, not keys');
  const nonUtf8Key = parseOk('gen/hand-non-utf8-key.torrent');
  assert.equal(nonUtf8Key.unknownKeys.length, 1);
  assert.equal(nonUtf8Key.unknownKeys[0].key.utf8, false);
  assert.equal(nonUtf8Key.unknownKeys[0].key.text, 'x-\xff\xfe');
});

for (const defect of loadDefects()) {
  test(`bad: ${defect.file} (${defect.careful_parser_says})`, () => {
    const data = readCorpus(`bad/${defect.file}`);
    const result = parseMetainfo(data);
    const expected = EXPECTED_CODES[defect.file];
    assert.ok(expected, `no expected verdict recorded for ${defect.file}`);
    const verdict = verdictOf(defect.careful_parser_says);
    if (verdict === 'reject') assert.ok(expected.reject, 'the README asks for a rejection');
    if (verdict === 'accept') assert.ok(expected.warn, 'the README asks for acceptance with a warning');
    if (expected.reject) {
      assert.equal(result.ok, false, 'rejected');
      if (result.ok) return;
      const f = result.failure;
      assert.equal(f.code, expected.reject);
      assert.ok(f.message.length > 10, 'the message names the defect');
      assert.ok(f.offset !== undefined && f.offset >= 0 && f.offset <= data.length, `an offset inside the file (${f.offset})`);
      if (data.length > 0 && f.code !== 'not-bencode') assert.ok(f.document, 'what decoded is kept for the raw view');
    } else {
      assert.equal(result.ok, true, result.ok ? '' : `accepted, but: ${result.failure.code}: ${result.failure.message}`);
      if (!result.ok) return;
      const found = result.metainfo.diagnostics.find((d) => d.code === expected.warn);
      assert.ok(found, `a '${expected.warn}' diagnostic; got ${result.metainfo.diagnostics.map((d) => d.code).join(', ')}`);
      assert.equal(found.severity, 'warning');
      assert.ok(found.offset !== undefined && found.offset < data.length, 'the diagnostic has its place');
    }
  });
}

test('bad: specific behaviour of accepted defects', () => {
  const parse = (file: string) => {
    const result = parseMetainfo(readCorpus(`bad/${file}`));
    if (!result.ok) assert.fail(result.failure.message);
    return result.metainfo;
  };
  assert.equal(parse('private-is-2.torrent').private, true, 'non-zero private is private, as in libtorrent');
  assert.equal(parse('private-is-string.torrent').private, false, 'a string private is not private, as in libtorrent');
  assert.deepEqual(parse('announce-is-int.torrent').trackers, []);
  assert.deepEqual(parse('announce-list-not-list.torrent').trackers, [['http://127.0.0.1:16969/announce']], 'falls back to announce');
  assert.deepEqual(parse('announce-list-tier-not-list.torrent').trackers, [['http://127.0.0.1:16969/announce']], 'the list tier is kept');
  assert.deepEqual(parse('url-list-int.torrent').webSeeds, []);
  assert.deepEqual(parse('nodes-malformed.torrent').nodes, []);
  const duplicate = parse('duplicate-key-in-info.torrent');
  assert.equal(duplicate.name.text, 'a.bin', 'the first of duplicate keys applies, as in libtorrent');
  assert.equal(duplicate.infoHash.v1, '7f4d863b8706bc9f9059a828b34ad9721294752c', 'SHA-1 of the original bytes (libtorrent agrees)');
  assert.equal(duplicate.infoCanonical, false);
  assert.equal(duplicate.reencodedInfoHashV1, '2953d281eecf51dc85064404b02d4cd4de14ef42', 'what parse-torrent computes');
  assert.match(duplicate.diagnostics.find((d) => d.code === 'duplicate-key')?.message ?? '', /'a\.bin'.*'b\.bin'/);
  const overlong = parse('name-overlong-utf8-slash.torrent');
  assert.equal(overlong.name.utf8, false);
  assert.ok(!overlong.name.text.includes('/'), 'C0 AF is never read as a slash');
  const control = parse('name-control-chars.torrent');
  assert.ok(control.name.text.includes('\x1b'), 'the model keeps the bytes; display escapes them');
  const both = parse('length-and-files.torrent');
  assert.equal(both.files.count, 1);
  assert.deepEqual(
    both.files.get(0).path.map((p) => p.text),
    ['x'],
    "'files' wins, as in libtorrent",
  );
});

/** Everything but the document (compared by identity otherwise) and the lazy file table, as plain data. */
function comparable(result: MetainfoResult): unknown {
  if (!result.ok) return { ...result.failure, document: result.failure.document?.count };
  const { document, files, ...rest } = result.metainfo;
  return { ...rest, document: document.count, files: [...files] };
}

test('parseMetainfoAsync gives the same result as parseMetainfo on every corpus file', async () => {
  const all = [...corpusTorrents('gen'), ...corpusTorrents('real'), ...corpusTorrents('bad')];
  assert.ok(all.length > 150);
  for (const file of all) {
    const data = readCorpus(file);
    assert.deepEqual(comparable(await parseMetainfoAsync(data)), comparable(parseMetainfo(data)), file);
  }
});
