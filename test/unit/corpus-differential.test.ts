// Independent implementations as oracles over the whole corpus: npm `bencode` for the decoded tree,
// npm `parse-torrent` for the v1 info hash (and the hash it computes where its re-encoding changes the bytes).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import bencodeOracle from 'bencode';
import parseTorrent from 'parse-torrent';
import { BencodeError, decode, type BencodeDocument, type Token } from '../../src/core/bencode/decode';
import { bytesToBinary, toHex } from '../../src/core/text/bytes';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import { corpusTorrents, readCorpus } from '../support/corpus';

const ALL = [...corpusTorrents('gen'), ...corpusTorrents('real'), ...corpusTorrents('bad')];

/** How npm bencode names a dictionary key: its UTF-8 text, or hex when that text would hold U+FFFD. */
function oracleKey(bytes: Uint8Array): string {
  const text = new TextDecoder().decode(bytes);
  return text.includes('\ufffd') ? toHex(bytes) : text;
}

type Plain = number | string | Plain[] | { dict: [string, Plain][] };

/** Integers past 2^53 are exact here (bigint) but rounded by the oracle, differently: compare them as a class. */
const BEYOND_DOUBLE = 'integer beyond 2^53';

/** Our tree in a comparable shape: dictionaries as key-sorted entry lists, later duplicates winning (as in a JS object). */
function ours(doc: BencodeDocument, t: Token): Plain {
  switch (doc.kind(t)) {
    case 'int': {
      const value = doc.int(t);
      return typeof value === 'bigint' ? BEYOND_DOUBLE : value;
    }
    case 'bytes':
      return doc.binary(t);
    case 'list':
      return doc.children(t).map((c) => ours(doc, c));
    case 'dict': {
      const map = new Map<string, Plain>();
      for (const [k, v] of doc.entries(t)) map.set(oracleKey(doc.bytes(k)), ours(doc, v));
      return { dict: [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
    }
  }
}

/** The oracle's value in the same shape. A `__proto__` key becomes the object's prototype there; read it back. */
function theirs(value: unknown): Plain {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : BEYOND_DOUBLE;
  if (value instanceof Uint8Array) return bytesToBinary(value);
  if (Array.isArray(value)) return value.map(theirs);
  const object = value as Record<string, unknown>;
  const entries: [string, Plain][] = Object.keys(object).map((k) => [k, theirs(object[k])]);
  const proto = Object.getPrototypeOf(object);
  if (proto !== Object.prototype && proto !== null) entries.push(['__proto__', theirs(proto)]);
  return { dict: entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
}

test('differential: every corpus file we decode, npm bencode decodes to the same tree', () => {
  let compared = 0;
  for (const file of ALL) {
    const data = readCorpus(file);
    let doc: BencodeDocument;
    try {
      doc = decode(data);
    } catch (error) {
      assert.ok(error instanceof BencodeError, `${file}: ${error}`);
      continue;
    }
    // The oracle ignores what follows the root value; we accept only whitespace there (with a warning).
    const rootBytes = data.subarray(0, doc.end(doc.root));
    assert.deepEqual(ours(doc, doc.root), theirs(bencodeOracle.decode(rootBytes)), file);
    compared++;
  }
  assert.ok(compared > 100, `${compared} files compared`);
});

test('differential: parse-torrent computes our v1 info hash, or exactly the hash we predict it computes', async () => {
  let compared = 0;
  let predicted = 0;
  const refused: string[] = [];
  for (const file of ALL) {
    const result = parseMetainfo(readCorpus(file));
    if (!result.ok || result.metainfo.infoHash.v1 === undefined) continue;
    let theirHash: string;
    try {
      theirHash = (await parseTorrent(readCorpus(file))).infoHash;
    } catch {
      refused.push(file);
      continue;
    }
    const m = result.metainfo;
    // It re-encodes the info dictionary before hashing: where that changes the bytes, we say what it gets.
    assert.equal(m.webtorrentInfoHashV1 ?? m.infoHash.v1, theirHash, file);
    if (m.webtorrentInfoHashV1 !== undefined) {
      predicted++;
      assert.ok(
        m.diagnostics.some((d) => d.message.includes(theirHash)),
        `${file}: the user is told`,
      );
    }
    compared++;
  }
  assert.ok(predicted >= 5, `${predicted} different hashes predicted (unsorted, duplicate, UTF-16 order, non-UTF-8 and __proto__ keys)`);
  // parse-torrent throws on some malformed-but-loadable files (a non-string announce, url-list integers …);
  // every torrent the corpus generated or collected as valid must be among those compared.
  assert.deepEqual(
    refused.filter((f) => !f.startsWith('bad/')),
    [],
  );
  assert.ok(compared > 60, `${compared} hashes compared`);
});
