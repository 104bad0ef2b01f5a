// Magnet links and info hashes found in free text (Markdown, notes, logs) for the hover and the document links:
// where each starts and ends (trailing punctuation and Markdown brackets left out), what it says, and scans that
// stay linear on hostile text.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findMentions, magnetForHash, mentionAt, type Mention } from '../../src/core/magnet/scan';
import { hashForms, magnetSecrets, magnetSummary } from '../../src/core/magnet/summary';
import { parseMagnet, type MagnetLink } from '../../src/core/magnet/parse';
import { fromHex, toBase32 } from '../../src/core/text/bytes';

const V1 = 'c12fe1c06bba254a9dc9f519b335aa7c1367a88a';
const V2 = 'caf1e1c30e81cb361b9ee167c4aa64228a7fa4fa9f6105232b28ad099f3a302e';
const LINK = `magnet:?xt=urn:btih:${V1}&dn=Some+Name&tr=udp%3A%2F%2Ftracker.example%3A6969%2Fannounce`;

function spans(text: string): [Mention['kind'], string][] {
  return findMentions(text).map((m) => [m.kind, text.slice(m.start, m.end)]);
}

function magnet(link: string): MagnetLink {
  const result = parseMagnet(link);
  if (!result.ok) assert.fail(result.error.message);
  return result.magnet;
}

test('magnet scan: links in prose, Markdown and logs end where the link does', () => {
  assert.deepEqual(spans(`Get it here: ${LINK}.`), [['magnet', LINK]]);
  assert.deepEqual(spans(`[the name](${LINK})`), [['magnet', LINK]]);
  assert.deepEqual(spans(`<${LINK}>`), [['magnet', LINK]]);
  assert.deepEqual(spans(`"${LINK}", and '${LINK}'`), [
    ['magnet', LINK],
    ['magnet', LINK],
  ]);
  assert.deepEqual(spans(`**${LINK}**`), [['magnet', LINK]]);
  assert.deepEqual(spans(`\`${LINK}\``), [['magnet', LINK]]);
  // A bracket that the link itself opened stays in it.
  const bracketed = `magnet:?xt=urn:btih:${V1}&dn=Name(2024)`;
  assert.deepEqual(spans(`see ${bracketed}, then`), [['magnet', bracketed]]);
  assert.deepEqual(spans(`(${bracketed})`), [['magnet', bracketed]]);
  // Each link on a line of a log is found, and what it says is read.
  const found = findMentions(`12:00 added ${LINK}\n12:01 added magnet:?xt=urn:btih:nothex`);
  assert.equal(found.length, 2);
  assert.ok(found[0].kind === 'magnet' && found[0].parsed.ok && found[0].parsed.magnet.name === 'Some Name');
  assert.ok(found[1].kind === 'magnet' && !found[1].parsed.ok && found[1].parsed.error.code === 'bad-btih');
});

test('magnet scan: info hashes alone, as hex, as URNs (v1 base32 too), but not inside longer words', () => {
  const base32 = toBase32(fromHex(V1));
  const text = [
    `v1 ${V1} and upper ${V1.toUpperCase()}`,
    `v2 ${V2}`,
    `urn:btih:${base32} urn:btmh:1220${V2}`,
    `not: x${V1} ${V1}0 ${V1.slice(1)} sha-${V2}ab`,
  ].join('\n');
  const found = findMentions(text);
  assert.deepEqual(
    found.map((m) => (m.kind === 'hash' ? [m.form, m.infoHash] : m.kind)),
    [
      ['hex', { v1: V1 }],
      ['hex', { v1: V1 }],
      ['hex', { v2: V2 }],
      ['urn', { v1: V1 }],
      ['urn', { v2: V2 }],
    ],
  );
  // The hashes inside a magnet link belong to the link.
  assert.deepEqual(
    findMentions(LINK).map((m) => m.kind),
    ['magnet'],
  );
  assert.equal(magnetForHash({ v1: V1 }), `magnet:?xt=urn:btih:${V1}`);
  assert.equal(magnetForHash({ v1: V1, v2: V2 }), `magnet:?xt=urn:btih:${V1}&xt=urn:btmh:1220${V2}`);
});

test('magnet scan: the mention under a position of a line, and none between mentions', () => {
  const line = `a ${V1} b ${LINK} c`;
  assert.equal(mentionAt(line, 0), undefined);
  const hash = mentionAt(line, 2 + 39);
  assert.ok(hash && hash.mention.kind === 'hash' && hash.mention.start === 2 && hash.mention.end === 42);
  assert.equal(mentionAt(line, 42), undefined);
  const link = mentionAt(line, line.indexOf('dn='));
  assert.ok(link && link.mention.kind === 'magnet' && link.mention.text === LINK);
  // Far into a very long line, only the stretch around the position is read.
  const long = `${'x '.repeat(500_000)}${LINK}`;
  const far = mentionAt(long, long.length - 5);
  assert.ok(far && far.mention.kind === 'magnet' && far.mention.start === 1_000_000 && far.mention.end === long.length);
});

// How fast is the bench's (npm run bench -- --only peers); a scan that backtracked would never end here.
test('magnet scan: hostile text is scanned to its end, and what is found is bounded', () => {
  // Runs of hex, of link characters and of almost-URNs, several megabytes each.
  const hexRun = 'a'.repeat(4_000_000);
  const linkRun = `magnet:?${'x'.repeat(4_000_000)}`;
  const urnRun = 'urn:btih:'.repeat(400_000);
  assert.deepEqual(findMentions(hexRun), []);
  const [cut] = findMentions(linkRun);
  assert.ok(cut.kind === 'magnet' && cut.text.length <= 64 * 1024 + 8, 'a link is at most 64 KiB long');
  assert.deepEqual(findMentions(urnRun), []);
  const many = `${V1} `.repeat(50_000);
  assert.equal(findMentions(many, 1000).length, 1000, 'at most the limit');
});

test('magnet summary: hashes in every form, trackers and web seeds redacted unless shown', () => {
  assert.deepEqual(hashForms({ v1: V1, v2: V2 }), {
    v1: { hex: V1, base32: toBase32(fromHex(V1)) },
    v2: { hex: V2, truncated: V2.slice(0, 40) },
  });
  const link = magnet(
    `magnet:?xt=urn:btih:${V1}&dn=Name&tr=${encodeURIComponent('http://t.example/announce?passkey=0123456789abcdef0123')}` +
      `&ws=http://seed.example/file&x.pe=[::1]:6881&x.pe=127.0.0.1:1&xl=10&so=0,2-3&foo=bar`,
  );
  const hidden = magnetSummary(link, magnetSecrets(link, { show: false }));
  assert.deepEqual(hidden.trackers, ['http://t.example/announce?passkey=[redacted]']);
  assert.deepEqual(hidden.webSeeds, ['http://seed.example/file']);
  assert.deepEqual(hidden.peers, ['[::1]:6881', '127.0.0.1:1']);
  assert.equal(hidden.exactLength, 10);
  assert.deepEqual(hidden.selectOnly, [0, 2, 3]);
  assert.deepEqual(hidden.unknown, [['foo', 'bar']]);
  const shown = magnetSummary(link, magnetSecrets(link, { show: true }));
  assert.deepEqual(shown.trackers, ['http://t.example/announce?passkey=0123456789abcdef0123']);
  // Once the metadata says the torrent is private, every path segment and query value of its trackers is secret.
  const privateLink = magnet(`magnet:?xt=urn:btih:${V1}&tr=${encodeURIComponent('http://t.example/abc/announce?u=42')}`);
  assert.deepEqual(magnetSummary(privateLink, magnetSecrets(privateLink, { show: false, private: true })).trackers, [
    'http://t.example/[redacted]/announce?u=[redacted]',
  ]);
});
