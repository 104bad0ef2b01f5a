// The small pure pieces of the tracker clients: URLs, encodings, addresses, peer ids, packet layouts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientFromPeerId, generatePeerId, peerIdText, percentEncodeBytes, scrapeUrlOf, trackerTargets } from '../../src/core/tracker';
import { ipv6Text, parseCompactPeers } from '../../src/core/tracker/compact';
import { buildAnnouncePacket, readUdpAnnounce, urlDataOptions } from '../../src/core/tracker/udp';
import { parseUdpUrl } from '../../src/core/tracker/url';

const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

test('scrape URL by the announce → scrape convention (BEP 48)', () => {
  const cases: [string, string | undefined][] = [
    ['http://example.com/announce', 'http://example.com/scrape'],
    ['http://example.com/x/announce', 'http://example.com/x/scrape'],
    ['http://example.com/announce.php', 'http://example.com/scrape.php'],
    ['http://example.com/announce?x2%0644', 'http://example.com/scrape?x2%0644'],
    ['http://example.com/announce?pk=1#frag', 'http://example.com/scrape?pk=1'],
    ['http://example.com/a', undefined],
    ['http://example.com/announce?x=2/4', 'http://example.com/scrape?x=2/4'],
    ['http://example.com/x%064announce', undefined],
    ['http://example.com/announce/x', undefined],
    ['http://example.com', undefined],
    ['https://t.example:8443/pk0123/announce', 'https://t.example:8443/pk0123/scrape'],
  ];
  for (const [announce, scrape] of cases) assert.equal(scrapeUrlOf(announce), scrape, announce);
});

test('binary values percent-encoded byte by byte, unreserved characters left alone', () => {
  assert.equal(percentEncodeBytes(latin1('aZ09-._~ /%?&=\x00\xff')), 'aZ09-._~%20%2F%25%3F%26%3D%00%FF');
});

test('udp:// URLs: host, port, path and query for BEP 41', () => {
  assert.deepEqual(parseUdpUrl('udp://tracker.example:6969/announce?pk=1'), {
    host: 'tracker.example',
    port: 6969,
    pathAndQuery: '/announce?pk=1',
  });
  assert.deepEqual(parseUdpUrl('udp://[::1]:80'), { host: '::1', port: 80, pathAndQuery: '' });
  assert.throws(() => parseUdpUrl('udp://host/announce'), /needs a port/);
  assert.throws(() => parseUdpUrl('udp://host:70000'), /needs a port/);
});

test('BEP 41 options: URLData chunks of at most 255 bytes', () => {
  assert.equal(urlDataOptions('').length, 0);
  const data = urlDataOptions('/a'.repeat(200));
  assert.deepEqual([data[0], data[1], data[257], data[258]], [2, 255, 2, 145]);
  assert.equal(data.length, 400 + 4);
});

test('UDP announce packet layout (BEP 15)', () => {
  const packet = buildAnnouncePacket(
    0x0102030405060708n,
    0xaabbccdd,
    {
      url: 'udp://x:1',
      infoHash: new Uint8Array(20).fill(0x11),
      peerId: latin1('-TL0100-abcdefghijkl'),
      downloaded: 5,
      left: 2 ** 40,
      uploaded: 7,
      event: 'stopped',
      key: 0xdeadbeef,
      numwant: 50,
      port: 6881,
    },
    urlDataOptions('/ann'),
  );
  assert.equal(packet.length, 98 + 6);
  assert.equal(packet.readBigUInt64BE(0), 0x0102030405060708n);
  assert.equal(packet.readUInt32BE(8), 1);
  assert.equal(packet.readUInt32BE(12), 0xaabbccdd);
  assert.equal(packet.subarray(36, 56).toString('latin1'), '-TL0100-abcdefghijkl');
  assert.deepEqual([packet.readBigUInt64BE(56), packet.readBigUInt64BE(64), packet.readBigUInt64BE(72)], [5n, 2n ** 40n, 7n]);
  assert.deepEqual(
    [packet.readUInt32BE(80), packet.readUInt32BE(84), packet.readUInt32BE(88), packet.readInt32BE(92), packet.readUInt16BE(96)],
    [3, 0, 0xdeadbeef, 50, 6881],
  );
  assert.equal(packet.subarray(98).toString('latin1'), '\x02\x04/ann');
});

test('UDP answers over IPv6: 18-byte entries, and IPv4 entries recognised when the length is ambiguous', () => {
  const head = Buffer.alloc(20);
  head.writeUInt32BE(1, 0);
  head.writeUInt32BE(1800, 8);
  // Three IPv4 peers = 18 bytes: could be one IPv6 entry, but 0a00:… is no peer's IPv6 address.
  const v4 = Buffer.from([10, 0, 0, 1, 0, 80, 10, 0, 0, 2, 0, 81, 10, 0, 0, 3, 0, 82]);
  const ambiguous = readUdpAnnounce(Buffer.concat([head, v4]), 6);
  assert.deepEqual(
    ambiguous.peers.map((p) => `${p.ip}:${p.port}`),
    ['10.0.0.1:80', '10.0.0.2:81', '10.0.0.3:82'],
  );
  assert.equal(ambiguous.notes.length, 1);
  const v6 = Buffer.from('2a0102030000000000000000000000011ae1', 'hex');
  const real = readUdpAnnounce(Buffer.concat([head, v6]), 6);
  assert.deepEqual(real.peers, [{ ip: '2a01:203::1', port: 6881 }]);
  assert.deepEqual(real.notes, []);
  const odd = readUdpAnnounce(Buffer.concat([head, v4.subarray(0, 8)]), 4);
  assert.equal(odd.peers.length, 1);
  assert.match(odd.notes[0], /not a multiple of 6; the last 2 bytes were ignored/);
});

test('IPv6 text as RFC 5952 writes it', () => {
  const hex = (h: string) => Buffer.from(h, 'hex');
  assert.equal(ipv6Text(hex('00000000000000000000000000000001')), '::1');
  assert.equal(ipv6Text(hex('20010db8000000000001000000000001')), '2001:db8::1:0:0:1');
  assert.equal(ipv6Text(hex('20010db8000100000000000000000000')), '2001:db8:1::');
  assert.equal(ipv6Text(hex('20010db8000100010001000100010001')), '2001:db8:1:1:1:1:1:1');
  assert.equal(ipv6Text(hex('00000000000000000000ffffc0a80001')), '::ffff:192.168.0.1');
  assert.deepEqual(parseCompactPeers(hex('c0a800011ae1'), 6), [{ ip: '192.168.0.1', port: 6881 }]);
});

test('client names from peer ids', () => {
  const cases: [string, string | undefined][] = [
    ['-TR2940-k8hj0wgej6ch', 'Transmission 2.94'],
    ['-TR4000-k8hj0wgej6ch', 'Transmission 4.0.0'],
    ['-TR400Z-k8hj0wgej6ch', 'Transmission 4.0.0+'],
    ['-TR0072-k8hj0wgej6ch', 'Transmission 0.72'],
    ['-qB4520-abcdefghijkl', 'qBittorrent 4.5.2'],
    ['-LT2080-abcdefghijkl', 'libtorrent 2.0.8'],
    ['-lt0D80-abcdefghijkl', 'rTorrent 0.13.8'],
    ['-UT355W-abcdefghijkl', 'µTorrent 3.5.5 (W)'],
    ['-DE13F0-abcdefghijkl', 'Deluge 1.3.15'],
    ['-TL0100-abcdefghijkl', 'Torrent Lens 0.1'],
    ['-WW0103-abcdefghijkl', 'WebTorrent 0.1.0.3'],
    ['M4-4-0--9aa757efd5bc', 'BitTorrent (Mainline) 4.4.0'],
    ['M7-10-5-abcdefghijkl', 'BitTorrent (Mainline) 7.10.5'],
    ['S58B-----abcdefghijk', 'Shadow 5.8.11'],
    ['T03I--00000000000000', 'BitTornado 0.3.18'],
    ['exbc0000000000000000', 'BitComet (old)'],
    ['\x00\x01\x02\x03abcdefghijklmnop', undefined],
    ['short', undefined],
  ];
  for (const [id, name] of cases) assert.equal(clientFromPeerId(latin1(id)), name, id);
});

test('our peer id: -TL0100- and 12 random URL-safe characters; shown safely', () => {
  const id = generatePeerId();
  assert.match(Buffer.from(id).toString('latin1'), /^-TL0100-[0-9A-Za-z]{12}$/);
  assert.notDeepEqual(generatePeerId(), id);
  assert.equal(peerIdText(latin1('-XX0000-\x00\x1b%abcdefgh')), '-XX0000-%00%1B%25abcdefgh');
});

test('tracker targets: tiers numbered from 0, repeated URLs contacted once', () => {
  assert.deepEqual(
    trackerTargets([
      ['http://a/announce', 'udp://b:1'],
      ['http://a/announce', 'http://c/announce'],
    ]),
    [
      { url: 'http://a/announce', tier: 0 },
      { url: 'udp://b:1', tier: 0 },
      { url: 'http://c/announce', tier: 1 },
    ],
  );
});
