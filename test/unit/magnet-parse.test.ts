// Magnet links read back: every link magnetLink writes for the corpus, the forms people paste (base32, upper
// case, numbered parameters, x.pe peers, BEP 53 selections), and bad links with errors naming the parameter.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import magnetDecode from 'magnet-uri';
import { magnetLink } from '../../src/core/magnet/link';
import { parseMagnet, parsePeerEndpoint, type MagnetLink } from '../../src/core/magnet/parse';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import { fromHex, toBase32 } from '../../src/core/text/bytes';
import { loadTruth, readCorpus } from '../support/corpus';

function parsed(link: string): MagnetLink {
  const result = parseMagnet(link);
  if (!result.ok) assert.fail(`${result.error.code}: ${result.error.message}`);
  return result.magnet;
}

function failure(link: string): { code: string; message: string; parameter?: string } {
  const result = parseMagnet(link);
  assert.ok(!result.ok, `expected ${link} to be refused`);
  return result.error;
}

const V1 = 'c12fe1c06bba254a9dc9f519b335aa7c1367a88a';
const V2 = 'caf1e1c30e81cb361b9ee167c4aa64228a7fa4fa9f6105232b28ad099f3a302e';

test('magnet parse: every link magnetLink writes for the corpus reads back to the same hashes, name, trackers and web seeds', () => {
  for (const [file] of loadTruth()) {
    const result = parseMetainfo(readCorpus(file));
    if (!result.ok) continue;
    const m = result.metainfo;
    const link = magnetLink(m);
    const back = parsed(link);
    assert.equal(back.infoHash.v1, m.infoHash.v1, file);
    assert.equal(back.infoHash.v2, m.infoHash.v2, file);
    assert.equal(back.name, m.name.text === '' ? undefined : m.name.text, file);
    assert.deepEqual(
      back.trackers,
      [...new Set(m.trackers.flat().map((u) => u.trim()))].filter((u) => u !== ''),
      file,
    );
    // magnet-uri, an independent reader, agrees on the hashes and trackers.
    const other = magnetDecode(link);
    assert.equal(back.infoHash.v1, other.infoHash, file);
    assert.deepEqual(back.trackers, other.announce, file);
  }
});

test('magnet parse: btih in hex (any case) and base32 name the same hash; btmh gives the v2 hash', () => {
  const base32 = toBase32(fromHex(V1));
  assert.equal(base32.length, 32);
  assert.equal(parsed(`magnet:?xt=urn:btih:${V1.toUpperCase()}`).infoHash.v1, V1);
  assert.equal(parsed(`magnet:?xt=urn:btih:${base32}`).infoHash.v1, V1);
  assert.equal(parsed(`magnet:?xt=urn:btih:${base32.toLowerCase()}`).infoHash.v1, V1);
  assert.equal(parsed(`MAGNET:?xt=URN:BTIH:${V1}`).infoHash.v1, V1);
  const hybrid = parsed(`magnet:?xt=urn:btih:${V1}&xt=urn:btmh:1220${V2}&dn=x`);
  assert.deepEqual(hybrid.infoHash, { v1: V1, v2: V2 });
  assert.deepEqual(parsed(`magnet:?xt=urn:btmh:1220${V2.toUpperCase()}`).infoHash, { v2: V2 });
  assert.deepEqual(parsed(`magnet:?xt.1=urn:btih:${V1}&xt.2=urn:btmh:1220${V2}`).infoHash, { v1: V1, v2: V2 });
});

test('magnet parse: dn, tr, ws, x.pe, xl, so and unknown parameters', () => {
  const m = parsed(
    `magnet:?xt=urn:btih:${V1}&dn=a+b%20c%26d%C3%BC&tr=udp%3A%2F%2F127.0.0.1%3A6969%2Fannounce&tr.1=http://127.0.0.1/a?x=1` +
      `&tr=udp%3A%2F%2F127.0.0.1%3A6969%2Fannounce&ws=http%3A%2F%2F127.0.0.1%2Fseed%2F&x.pe=127.0.0.1:6881&x.pe=[::1]:51413` +
      `&x.pe=peer.example:7000&xl=123456&so=0,2,4-6,2&kt=linux+iso&xs=urn:sha1:abc&as=http://127.0.0.1/a.torrent#frag`,
  );
  assert.equal(m.name, 'a b c&dü');
  assert.deepEqual(m.trackers, ['udp://127.0.0.1:6969/announce', 'http://127.0.0.1/a?x=1']);
  assert.deepEqual(m.webSeeds, ['http://127.0.0.1/seed/']);
  assert.deepEqual(m.peers, [
    { host: '127.0.0.1', port: 6881 },
    { host: '::1', port: 51413 },
    { host: 'peer.example', port: 7000 },
  ]);
  assert.equal(m.exactLength, 123456);
  assert.deepEqual(m.selectOnly, [0, 2, 4, 5, 6]);
  assert.deepEqual(m.unknown, [
    ['kt', 'linux iso'],
    ['xs', 'urn:sha1:abc'],
    ['as', 'http://127.0.0.1/a.torrent'],
  ]);
  // Another network's URN beside the btih is kept, not refused.
  assert.deepEqual(parsed(`magnet:?xt=urn:ed2k:31D6CFE0D16AE931B73C59D7E0C089C0&xt=urn:btih:${V1}`).unknown, [
    ['xt', 'urn:ed2k:31D6CFE0D16AE931B73C59D7E0C089C0'],
  ]);
});

test('magnet parse: bad links say what is wrong and name the parameter', () => {
  const cases: [string, string, string | undefined, RegExp][] = [
    ['http://example/a.torrent', 'not-magnet', undefined, /magnet:\?/],
    ['magnet:?dn=only+a+name', 'missing-xt', 'xt', /no info hash/],
    [`magnet:?xt=urn:btih:${V1.slice(0, 39)}`, 'bad-btih', 'xt', /40 hex digits or 32 base32.*has 39/],
    [`magnet:?xt=urn:btih:${V1.slice(0, 39)}z`, 'bad-btih', 'xt', /40 hex/],
    [`magnet:?xt.1=urn:btih:${'0'.repeat(41)}`, 'bad-btih', 'xt.1', /has 41/],
    [`magnet:?xt=urn:btmh:1114${V2}`, 'bad-btmh', 'xt', /SHA-256 multihash starting 1220/],
    [`magnet:?xt=urn:btmh:1220${V2.slice(2)}`, 'bad-btmh', 'xt', /64 hex digits after 1220 \(it has 62\)/],
    [`magnet:?xt=urn:btih:${V1}&xt=urn:btih:${'1'.repeat(40)}`, 'conflicting-xt', 'xt', /second, different v1/],
    [`magnet:?xt=${V1}`, 'bad-xt', 'xt', /not a URN/],
    [`magnet:?xt=urn:btih:${V1}&x.pe=127.0.0.1`, 'bad-peer', 'x.pe', /not an address and port/],
    [`magnet:?xt=urn:btih:${V1}&x.pe=::1:6881`, 'bad-peer', 'x.pe', /IPv6 address without a port|not an address/],
    [`magnet:?xt=urn:btih:${V1}&x.pe=127.0.0.1:70000`, 'bad-peer', 'x.pe', /not between 1 and 65535/],
    [`magnet:?xt=urn:btih:${V1}&xl=12a`, 'bad-length', 'xl', /not a length/],
    [`magnet:?xt=urn:btih:${V1}&so=3-1`, 'bad-select-only', 'so', /backwards/],
    [`magnet:?xt=urn:btih:${V1}&so=0-999999999`, 'bad-select-only', 'so', /more than/],
    [`magnet:?xt=urn:btih:${V1}&dn=50%`, 'bad-escape', 'dn', /percent escape/],
    [`magnet:?xt=urn:btih:${V1}&tr=%zz`, 'bad-escape', 'tr', /percent escape/],
  ];
  for (const [link, code, parameter, message] of cases) {
    const error = failure(link);
    assert.equal(error.code, code, link);
    assert.equal(error.parameter, parameter, link);
    assert.match(error.message, message, link);
  }
  // Control characters in a hostile link never reach the message.
  assert.doesNotMatch(failure(`magnet:?xt=urn:btih:%1b[31m${'0'.repeat(30)}`).message, /\x1b/);
  assert.equal(failure(`magnet:?xt=urn:btih:${V1}&dn=${'a'.repeat(1 << 20)}`).code, 'too-long');
});

test('peer endpoints as users type them', () => {
  assert.deepEqual(parsePeerEndpoint(' 10.0.0.1:6881 '), { host: '10.0.0.1', port: 6881 });
  assert.deepEqual(parsePeerEndpoint('[2001:DB8::1]:1'), { host: '2001:db8::1', port: 1 });
  assert.deepEqual(parsePeerEndpoint('Seed.Example.org:65535'), { host: 'seed.example.org', port: 65535 });
  assert.match(parsePeerEndpoint('[seed.example]:1') as string, /only IPv6/);
  assert.match(parsePeerEndpoint('10.0.0.1:0') as string, /between 1 and 65535/);
  assert.match(parsePeerEndpoint('10.0.0.1') as string, /not an address and port/);
});
