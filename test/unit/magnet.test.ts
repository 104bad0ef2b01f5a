// Magnet links parsed back by an independent parser (npm magnet-uri) and by WHATWG URLSearchParams.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import magnetDecode from 'magnet-uri';
import { encode } from '../../src/core/bencode/decode';
import { magnetLink } from '../../src/core/magnet/link';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import type { Metainfo } from '../../src/core/metainfo/types';
import { loadTruth, readCorpus } from '../support/corpus';

function parse(bytes: Uint8Array): Metainfo {
  const result = parseMetainfo(bytes);
  if (!result.ok) assert.fail(result.failure.message);
  return result.metainfo;
}

/** The query of a magnet link as WHATWG URLSearchParams reads it (exact percent-decoding, '+' kept apart from %2B). */
function params(link: string): URLSearchParams {
  assert.ok(link.startsWith('magnet:?'));
  return new URLSearchParams(link.slice('magnet:?'.length));
}

const unique = (values: string[]) => [...new Set(values)];

for (const [file] of loadTruth()) {
  test(`magnet: ${file} round-trips through magnet-uri`, () => {
    const m = parse(readCorpus(file));
    const link = magnetLink(m);
    const decoded = magnetDecode(link);
    assert.equal(decoded.infoHash, m.infoHash.v1, 'btih');
    assert.equal(decoded.infoHashV2, m.infoHash.v2, 'btmh');
    const q = params(link);
    assert.equal(q.get('dn'), m.name.text, 'dn, exactly');
    // magnet-uri turns every '+' in dn into a space after decoding; compare with that in mind.
    assert.equal(decoded.name, m.name.text.replace(/\+/g, ' '));
    const trackers = unique(m.trackers.flat().map((u) => u.trim()));
    assert.deepEqual(decoded.announce, trackers, 'tr: every tier, in order, once each');
    assert.deepEqual(q.getAll('tr'), trackers);
    assert.deepEqual(decoded.urlList, m.webSeeds, 'ws');
    assert.deepEqual(q.getAll('xt'), [
      ...(m.infoHash.v1 ? [`urn:btih:${m.infoHash.v1}`] : []),
      ...(m.infoHash.v2 ? [`urn:btmh:1220${m.infoHash.v2}`] : []),
    ]);
  });
}

test('magnet: hybrid torrents carry both hashes, v2-only only btmh', () => {
  const hybrid = parse(readCorpus('gen/lt-hybrid-multi.torrent'));
  assert.equal(params(magnetLink(hybrid)).getAll('xt').length, 2);
  const v2 = parse(readCorpus('gen/lt-v2-only-single.torrent'));
  const xt = params(magnetLink(v2)).getAll('xt');
  assert.equal(xt.length, 1);
  assert.match(xt[0], /^urn:btmh:1220[0-9a-f]{64}$/);
});

test('magnet: names and URLs with reserved characters survive exactly', () => {
  const name = 'a&b=c+d #1 %20 ü/€ 😀 ?x';
  const tracker = 'http://127.0.0.1:6969/announce?passkey=0123456789abcdef0123456789abcdef&x=a+b';
  const seed = 'http://127.0.0.1:8080/seed dir/';
  const m = parse(
    encode({ announce: tracker, 'url-list': [seed], info: { name, 'piece length': 16384, pieces: new Uint8Array(20), length: 5 } }),
  );
  const link = magnetLink(m);
  assert.doesNotMatch(link.slice('magnet:?'.length), /[ #+]|&(?!(xt|dn|tr|ws)=)/, 'nothing in a value can split the link');
  const q = params(link);
  assert.equal(q.get('dn'), name);
  assert.deepEqual(q.getAll('tr'), [tracker]);
  assert.deepEqual(q.getAll('ws'), [seed]);
  const decoded = magnetDecode(link);
  assert.deepEqual(decoded.announce, [tracker]);
  assert.deepEqual(decoded.urlList, [seed]);
});

test('magnet: tracker secrets are redacted on request only', () => {
  const secret = '0123456789abcdef0123456789abcdef';
  const m = parse(
    encode({
      announce: `http://127.0.0.1:6969/${secret}/announce`,
      'announce-list': [
        [`http://127.0.0.1:6969/${secret}/announce`],
        [`udp://127.0.0.1:6969/announce?passkey=${secret}`],
        ['http://127.0.0.1:7000/announce'],
      ],
      info: { name: 'x', 'piece length': 16384, pieces: new Uint8Array(20), length: 5 },
    }),
  );
  const shown = magnetLink(m);
  assert.equal(magnetDecode(shown).announce.filter((u) => u.includes(secret)).length, 2, 'secrets kept when asked to show them');
  const hidden = magnetLink(m, { redact: true });
  assert.ok(!hidden.includes(secret), 'no secret in the redacted link');
  const trackers = magnetDecode(hidden).announce;
  assert.deepEqual(trackers, [
    'http://127.0.0.1:6969/[redacted]/announce',
    'udp://127.0.0.1:6969/announce?passkey=[redacted]',
    'http://127.0.0.1:7000/announce',
  ]);
  assert.equal(params(magnetLink(m, { trackers: false })).getAll('tr').length, 0);
});

test('magnet: duplicate trackers across tiers appear once, in first-seen order', () => {
  const m = parse(readCorpus('gen/hand-announce-list-quirks.torrent'));
  const tr = params(magnetLink(m)).getAll('tr');
  assert.deepEqual(tr, [
    'http://127.0.0.1:16969/announce',
    'udp://127.0.0.1:16969/announce',
    'http://127.0.0.1:18000/announce',
    'not a url',
  ]);
});
