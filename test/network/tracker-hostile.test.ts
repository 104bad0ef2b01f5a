// Every way a tracker can misbehave, against our misbehaving tracker on 127.0.0.1: the client must end
// with a clear status and message, never hang, crash or grow without bound. No timing asserts: a timeout
// test checks the outcome and the words, not the duration.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import {
  announceAll,
  announceToTracker,
  announceUrl,
  redactResult,
  scrapeTracker,
  UdpConnectionCache,
  type AnnounceOptions,
  type Attempt,
  type InfoHashTarget,
  type RawValue,
} from '../../src/core/tracker';
import { Secrets } from '../../src/core/privacy/secrets';
import { httpGet } from '../../src/core/tracker/http-get';
import { udpAnnounce } from '../../src/core/tracker/udp';
import { HOSTILE_TRACKER_ID, startHostileTracker, type HostileTracker } from '../support/hostile-tracker';

const HASH: InfoHashTarget = { hex: 'c0ffee00112233445566778899aabbccddeeff01', kind: 'v1' };
const HASH2: InfoHashTarget = { hex: '0123456789abcdef0123456789abcdef01234567', kind: 'v1' };
const quick: AnnounceOptions = { timeoutMs: 2000, udpRetryTimeoutMs: 200, event: 'started', port: 6881, left: 1234 };

let tracker: HostileTracker;
before(async () => {
  tracker = await startHostileTracker();
});
after(() => tracker?.stop());

const announce = (url: string, options: AnnounceOptions = {}) =>
  announceToTracker({ url, tier: 0 }, HASH, { ...quick, udpConnections: new UdpConnectionCache(), ...options });

describe('HTTP', () => {
  test('a normal answer: counts, interval, compact peers, tracker id', async () => {
    const r = await announce(tracker.httpUrl('ok'));
    assert.equal(r.status, 'working', r.error);
    assert.deepEqual([r.complete, r.incomplete, r.interval, r.minInterval, r.trackerId], [3, 2, 1800, 900, HOSTILE_TRACKER_ID]);
    assert.deepEqual(
      r.peers.map((p) => `${p.ip}:${p.port}`),
      ['127.0.0.1:6881', '10.9.8.7:51413'],
    );
    assert.deepEqual(r.notes, []);
  });

  test('the request: binary values percent-encoded, the URL query kept, BEP 3 parameters, a User-Agent', async () => {
    const before = tracker.httpRequests.length;
    const url = `${tracker.httpUrl('ok')}?passkey=s3cr3t0123456789abcdef&x=a%20b#fragment`;
    const r = await announceToTracker({ url, tier: 0 }, HASH, { ...quick, userAgent: 'TestAgent/1.0', numwant: 17, port: 7000 });
    assert.equal(r.status, 'working', r.error);
    const request = tracker.httpRequests[before];
    const params = new Map(request.params.map(([k, v]) => [k, v]));
    assert.equal(params.get('passkey')?.toString(), 's3cr3t0123456789abcdef');
    assert.equal(params.get('x')?.toString(), 'a b');
    assert.equal(params.get('info_hash')?.toString('hex'), HASH.hex);
    assert.match(params.get('peer_id')!.toString('latin1'), /^-TL0100-[0-9A-Za-z]{12}$/);
    assert.equal(params.get('port')?.toString(), '7000');
    assert.equal(params.get('numwant')?.toString(), '17');
    assert.equal(params.get('left')?.toString(), '1234');
    assert.equal(params.get('event')?.toString(), 'started');
    assert.equal(params.get('compact')?.toString(), '1');
    assert.match(params.get('key')!.toString(), /^[0-9A-F]{8}$/);
    assert.equal(request.headers['user-agent'], 'TestAgent/1.0');
    assert.ok(!request.rawQuery.includes('fragment'), 'the fragment is not sent');
    // Every byte outside RFC 3986's unreserved set is escaped.
    const encodedHash = /info_hash=([^&]*)/.exec(request.rawQuery)![1];
    assert.match(encodedHash, /^([A-Za-z0-9\-._~]|%[0-9A-F]{2})+$/);
    assert.equal(
      announceUrl({
        url: 'http://t/a?pk=1',
        infoHash: new Uint8Array(20).fill(0xff),
        peerId: new Uint8Array(20).fill(0x41),
        port: 1,
        uploaded: 0,
        downloaded: 0,
        left: 0,
        event: 'none',
        numwant: 5,
        key: 1,
      }).slice(0, 28),
      'http://t/a?pk=1&info_hash=%F',
    );
  });

  test('started then stopped: the stopped announce carries the tracker id and the same key', async () => {
    const before = tracker.httpRequests.length;
    const r = await announce(tracker.httpUrl('ok'), { event: 'started-then-stopped' });
    assert.equal(r.status, 'working');
    assert.equal(r.stopped?.ok, true);
    const [started, stopped] = tracker.httpRequests.slice(before).map((q) => new Map(q.params.map(([k, v]) => [k, v.toString('latin1')])));
    assert.equal(started.get('event'), 'started');
    assert.equal(started.get('trackerid'), undefined);
    assert.equal(stopped.get('event'), 'stopped');
    assert.equal(stopped.get('trackerid'), HOSTILE_TRACKER_ID);
    assert.equal(stopped.get('key'), started.get('key'));
    assert.equal(stopped.get('peer_id'), started.get('peer_id'));
    assert.deepEqual(
      r.attempts.map((a) => a.step),
      ['GET', 'GET (stopped)'],
    );
  });

  test('slow answer: timed out while waiting, with the limit in the message', async () => {
    const r = await announce(tracker.httpUrl('slow'), { timeoutMs: 300 });
    assert.equal(r.status, 'timed-out');
    assert.equal(r.ok, false);
    assert.match(r.error!, /^timed out after 300 ms while waiting for the answer$/);
  });

  test('answer that stalls mid-body: timed out while reading, bytes so far named', async () => {
    const r = await announce(tracker.httpUrl('slow-body'), { timeoutMs: 300 });
    assert.equal(r.status, 'timed-out');
    assert.match(r.error!, /while reading the answer \(17 bytes received\)/);
  });

  test('huge answer: refused at the cap, the download aborted', async () => {
    const r = await announce(tracker.httpUrl('huge'), { maxResponseBytes: 1024 * 1024, timeoutMs: 10_000 });
    assert.equal(r.status, 'tracker-error');
    assert.match(r.error!, /the answer is too large: more than the 1,048,576-byte limit \(download aborted after [\d,]+ bytes\)/);
    const received = Number(/aborted after ([\d,]+) bytes/.exec(r.error!)![1].replace(/,/g, ''));
    assert.ok(received <= 1024 * 1024 + 64 * 1024, `stopped reading at ${received}`);
    // The server could not push tens of megabytes: we hung up.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(tracker.hugeBytesSent() < 64 * 1024 * 1024, `server sent ${tracker.hugeBytesSent()} bytes`);
  });

  test('a declared Content-Length over the cap is refused before reading', async () => {
    const r = await announce(tracker.httpUrl('huge-declared'));
    assert.equal(r.status, 'tracker-error');
    assert.match(r.error!, /52,428,800 bytes announced, more than the 4,194,304-byte limit/);
  });

  test('gzip answers are read; a gzip bomb is stopped at the cap', async () => {
    const ok = await announce(tracker.httpUrl('gzip'));
    assert.equal(ok.status, 'working', ok.error);
    assert.equal(ok.complete, 3);
    const bomb = await announce(tracker.httpUrl('gzip-bomb'));
    assert.equal(bomb.status, 'tracker-error');
    assert.match(bomb.error!, /too large once decompressed/);
  });

  test('malformed bencode: named, with its byte offset', async () => {
    const r = await announce(tracker.httpUrl('malformed'));
    assert.equal(r.status, 'tracker-error');
    assert.match(r.error!, /^the answer is not valid bencode: string of length 20 at byte 24 runs past the end/);
  });

  test('not a dictionary, empty, or HTML: each said plainly', async () => {
    const list = await announce(tracker.httpUrl('not-a-dict'));
    assert.match(list.error!, /a bencoded list, not a dictionary/);
    const empty = await announce(tracker.httpUrl('empty'));
    assert.equal(empty.error, 'the tracker sent an empty answer');
    const html = await announce(tracker.httpUrl('html'));
    assert.equal(
      html.error,
      'the answer is not bencode: it looks like HTML (text/html): "<html><body><h1>Tracker is down for maintenance</h1></body></html>"',
    );
    // What the tracker sent is kept as text for the raw view, as a bencoded answer is kept decoded.
    assert.deepEqual(html.raw, {
      text: '<html><body><h1>Tracker is down for maintenance</h1></body></html>',
      length: 66,
      contentType: 'text/html',
    });
    assert.deepEqual(list.raw, ['interval', 1800]);
    const notFound = await announce(tracker.httpUrl('not-found'));
    assert.deepEqual(notFound.raw, { text: 'No such tracker here', length: 20, contentType: 'text/plain' });
  });

  test('HTTP errors: status and the body that came with it', async () => {
    const notFound = await announce(tracker.httpUrl('not-found'));
    assert.equal(notFound.status, 'tracker-error');
    assert.equal(notFound.error, 'HTTP 404 Not Found: "No such tracker here"');
    const serverError = await announce(tracker.httpUrl('server-error'));
    assert.equal(serverError.error, 'HTTP 500 Internal Server Error: "Internal explosion"');
    const withReason = await announce(tracker.httpUrl('failure-400'));
    assert.equal(withReason.error, 'passkey not found (HTTP 400 Bad Request)');
  });

  test('redirects: loops, chains past the limit, and other schemes are refused; a good one is followed', async () => {
    const loop = await announce(tracker.httpUrl('loop'));
    assert.equal(loop.status, 'tracker-error');
    assert.match(loop.error!, /^redirect loop: /);
    const pair = await announce(tracker.httpUrl('loop-a'));
    assert.match(pair.error!, /^redirect loop: .*\/loop-b\/announce.* redirects back to .*\/loop-a\/announce/);
    const chain = await announce(tracker.httpUrl('chain'), { maxRedirects: 3 });
    assert.match(chain.error!, /^too many redirects \(more than 3\)/);
    assert.equal(chain.attempts.length, 4);
    const ftp = await announce(tracker.httpUrl('ftp'));
    assert.match(ftp.error!, /redirect to a ftp: URL refused/);
    const file = await announce(tracker.httpUrl('file'));
    assert.match(file.error!, /HTTP 301 redirect to a file: URL refused/);
    const good = await announce(tracker.httpUrl('redirect-ok'));
    assert.equal(good.status, 'working', good.error);
    assert.match(good.attempts[0].outcome, /^HTTP 307 → \/ok\/announce\?/);
  });

  test('connection reset and connection refused: unreachable', async () => {
    const reset = await announce(tracker.httpUrl('reset'));
    assert.equal(reset.status, 'unreachable');
    assert.match(reset.error!, /reset|hang up|closed/);
    const refused = await announce('http://127.0.0.1:1/announce');
    assert.equal(refused.status, 'unreachable');
    assert.match(refused.error!, /^connection refused by 127\.0\.0\.1:1/);
  });

  test('failure reason, retry in (BEP 31), warning message', async () => {
    const failure = await announce(tracker.httpUrl('failure'));
    assert.equal(failure.status, 'tracker-error');
    assert.equal(failure.error, 'torrent not registered with this tracker');
    const retry = await announce(tracker.httpUrl('retry'));
    assert.deepEqual([retry.error, retry.retryIn], ['tracker overloaded', 30]);
    const never = await announce(tracker.httpUrl('retry-never'));
    assert.deepEqual([never.error, never.retryIn], ['banned client', 'never']);
    const warning = await announce(tracker.httpUrl('warning'));
    assert.equal(warning.status, 'working');
    assert.equal(warning.warning, 'your client is outdated');
  });

  test('HTTP 429 and 503 with Retry-After: a tracker error with the time to wait, as BEP 31 retry in (minutes)', async () => {
    const busy = await announce(tracker.httpUrl('busy-429'));
    assert.deepEqual([busy.status, busy.retryIn], ['tracker-error', 2]);
    assert.equal(busy.error, 'HTTP 429 Too Many Requests: "slow down"; the tracker asks to retry after 120 s (Retry-After)');
    const date = await announce(tracker.httpUrl('busy-503'));
    assert.deepEqual([date.status, date.retryIn], ['tracker-error', 2]);
    assert.match(date.error!, /^HTTP 503 Service Unavailable: "back soon"; the tracker asks to retry after (89|90|91) s \(Retry-After\)$/);
    const absurd = await announce(tracker.httpUrl('busy-503-absurd'));
    assert.equal(absurd.retryIn, 7 * 24 * 60);
    assert.match(absurd.error!, /retry after 99,999,999,999,999,999,999 s \(Retry-After\), taken as one week$/);
  });

  test('an absurd min interval is clamped to 4 hours, as rtorrent does, and noted', async () => {
    const r = await announce(tracker.httpUrl('absurd-min-interval'));
    assert.equal(r.status, 'working', r.error);
    assert.deepEqual([r.interval, r.minInterval], [1800, 4 * 3600]);
    assert.ok(
      r.notes.includes('"min interval" is 1,000,000,000,000 s; taken as 14,400 s (4 hours), the most rtorrent accepts'),
      r.notes.join('; '),
    );
  });

  test('an absurd interval is clamped to 8 hours, as rtorrent does, and noted', async () => {
    const r = await announce(tracker.httpUrl('absurd-interval'));
    assert.equal(r.status, 'working', r.error);
    assert.deepEqual([r.interval, r.minInterval], [8 * 3600, 4 * 3600]);
    assert.deepEqual(r.notes, [
      '"interval" is 1,099,511,627,776 s; taken as 28,800 s (8 hours), the most rtorrent accepts',
      '"min interval" is 1,099,511,627,776 s; taken as 14,400 s (4 hours), the most rtorrent accepts',
    ]);
  });

  test('hostile text in a failure reason is kept as inert text, control characters escaped', async () => {
    const r = await announce(tracker.httpUrl('hostile-text'));
    assert.equal(r.error, 'bad \\x1b[31mred\\x07 <script>alert(1)</script>\\r\\nline');
  });

  test('dictionary peers: peer ids decoded to client names, bad addresses skipped', async () => {
    const r = await announce(tracker.httpUrl('dict-peers'));
    assert.equal(r.status, 'working', r.error);
    assert.deepEqual(
      r.peers.map((p) => [p.ip, p.port, p.client ?? null]),
      [
        ['192.0.2.1', 6881, 'Transmission 2.94'],
        ['192.0.2.2', 6882, 'qBittorrent 4.5.2'],
        ['2001:db8::7', 6883, 'BitTorrent (Mainline) 4.4.0'],
        ['192.0.2.4', 6884, 'Shadow 5.8.11'],
        ['192.0.2.5', 6885, 'unknown client -ZZ- 0.0.0.1'],
      ],
    );
    assert.equal(r.peers[0].peerId, Buffer.from('-TR2940-k8hj0wgej6ch').toString('hex'));
    assert.ok(
      r.notes.some((n) => /1 dictionary peers without a valid ip/.test(n)),
      r.notes.join('; '),
    );
  });

  test('peers6 (BEP 7) and external ip (BEP 24), v4 and v6', async () => {
    const six = await announce(tracker.httpUrl('peers6'));
    assert.deepEqual(
      six.peers.map((p) => `${p.ip} ${p.port}`),
      ['127.0.0.1 6881', '10.9.8.7 51413', '::1 6881', '2001:db8::42 80'],
    );
    const v4 = await announce(tracker.httpUrl('external-ip'));
    assert.equal(v4.externalIp, '203.0.113.7');
    const v6 = await announce(tracker.httpUrl('external-ip6'));
    assert.equal(v6.externalIp, '2001:db8::99');
  });

  test('non-canonical bencode is read, with a note (warnings are not errors)', async () => {
    const r = await announce(tracker.httpUrl('noncanonical'));
    assert.equal(r.status, 'working');
    assert.deepEqual([r.complete, r.incomplete, r.interval], [4, 1, 1800]);
    assert.ok(
      r.notes.some((n) => /not canonical/.test(n)),
      r.notes.join('; '),
    );
  });

  test('cancellation stops every request at once', async () => {
    const controller = new AbortController();
    const running = announceAll(
      [
        { url: tracker.httpUrl('slow'), tier: 0 },
        { url: await tracker.udpUrl('silent'), tier: 0 },
      ],
      [HASH],
      { ...quick, timeoutMs: 60_000, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    const results = await running;
    assert.deepEqual(
      results.map((r) => [r.status, r.error]),
      [
        ['cancelled', 'cancelled'],
        ['cancelled', 'cancelled'],
      ],
    );
  });

  test("a run over many trackers puts one listener on the caller's signal: no MaxListenersExceededWarning, all cancelled", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const silent = await tracker.udpUrl('silent');
      const trackers = Array.from({ length: 24 }, (_, i) => ({
        url: i % 2 ? `${tracker.httpUrl('slow')}?n=${i}` : `${silent}/announce?n=${i}`,
        tier: 0,
      }));
      const running = announceAll(trackers, [HASH, HASH2], { ...quick, timeoutMs: 60_000, signal: controller.signal });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const listeners = getEventListeners(controller.signal, 'abort').length;
      controller.abort();
      const results = await running;
      assert.equal(listeners, 1);
      assert.equal(getEventListeners(controller.signal, 'abort').length, 0, 'the listener is removed when the run ends');
      assert.equal(results.length, 48);
      assert.ok(results.every((r) => r.status === 'cancelled'));
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(
        warnings.map((w) => `${w.name}: ${w.message}`),
        [],
      );
    } finally {
      process.off('warning', onWarning);
    }
  });

  test('HTTPS to a server that does not speak TLS: unreachable, the TLS failure named', async () => {
    const r = await announce(tracker.httpUrl('ok').replace('http://', 'https://'));
    assert.equal(r.status, 'unreachable');
    assert.match(
      r.error!,
      /^TLS handshake with 127\.0\.0\.1:\d+ failed: wrong version number \(the server does not seem to speak HTTPS on that port\)$/,
    );
  });

  test('all trackers are asked at once: every request is out before the first answer comes back', async () => {
    const trackers = Array.from({ length: 6 }, (_, i) => ({ url: `${tracker.httpUrl('slow')}?n=${i}`, tier: i % 2 }));
    const before = tracker.httpRequests.length;
    let requestsAtFirstResult = -1;
    const results = await announceAll(trackers, [HASH], { ...quick, timeoutMs: 400 }, () => {
      if (requestsAtFirstResult < 0) requestsAtFirstResult = tracker.httpRequests.length - before;
    });
    assert.equal(requestsAtFirstResult, 6);
    assert.ok(results.every((r) => r.status === 'timed-out'));
  });

  test('at most `concurrency` trackers are contacted at once; the others wait for a slot', async () => {
    const trackers = Array.from({ length: 10 }, (_, i) => ({ url: `${tracker.httpUrl('slow')}?slot=${i}`, tier: 0 }));
    const before = tracker.httpRequests.length;
    let asking = 0;
    let mostAsking = 0;
    const started: number[] = [];
    let requestsAtFirstResult = -1;
    const results = await announceAll(
      trackers,
      [HASH],
      {
        ...quick,
        timeoutMs: 300,
        concurrency: 3,
        onTrackerStart: (place) => {
          started.push(place.trackerIndex);
          mostAsking = Math.max(mostAsking, ++asking);
        },
      },
      () => {
        asking--;
        if (requestsAtFirstResult < 0) requestsAtFirstResult = tracker.httpRequests.length - before;
      },
    );
    assert.equal(mostAsking, 3);
    assert.equal(requestsAtFirstResult, 3);
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(tracker.httpRequests.length - before, 10);
    assert.ok(results.every((r) => r.status === 'timed-out'));
  });

  test('trackers still waiting for a slot when the run is cancelled are not contacted', async () => {
    const controller = new AbortController();
    const trackers = Array.from({ length: 4 }, (_, i) => ({ url: `${tracker.httpUrl('slow')}?wait=${i}`, tier: 0 }));
    const before = tracker.httpRequests.length;
    const running = announceAll(trackers, [HASH], { ...quick, timeoutMs: 60_000, concurrency: 1, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    const results = await running;
    assert.deepEqual(
      results.map((r) => [r.status, r.attempts.length]),
      [
        ['cancelled', 1],
        ['cancelled', 0],
        ['cancelled', 0],
        ['cancelled', 0],
      ],
    );
    assert.equal(tracker.httpRequests.length - before, 1);
  });

  test('unsupported schemes and bad URLs are not contacted', async () => {
    const nonsense = await announce('gopher://x/announce');
    assert.match(nonsense.error!, /unsupported tracker scheme "gopher:"/);
    const noPort = await announce('udp://127.0.0.1/announce');
    assert.match(noPort.error!, /needs a port/);
  });
});

describe('HTTP scrape', () => {
  test('many hashes in one request; complete, incomplete, downloaded, downloaders; the scrape URL by convention', async () => {
    const before = tracker.httpRequests.length;
    const r = await scrapeTracker({ url: `${tracker.httpUrl('ok', 'announce.php')}?pk=1`, tier: 1 }, [HASH, HASH2]);
    assert.equal(r.status, 'working', r.error);
    assert.equal(tracker.httpRequests.length, before + 1);
    assert.equal(tracker.httpRequests[before].path, '/ok/scrape.php');
    assert.match(tracker.httpRequests[before].rawQuery, /^pk=1&info_hash=.*&info_hash=/);
    assert.deepEqual(
      r.entries.map((e) => [e.hash, e.found, e.complete, e.incomplete, e.downloaded, e.downloaders]),
      [
        [HASH.hex, true, 10, 20, 30, 5],
        [HASH2.hex, true, 11, 21, 31, 5],
      ],
    );
    assert.equal(r.minRequestInterval, 600);
  });

  test('no scrape URL: said clearly, nothing sent', async () => {
    const before = tracker.httpRequests.length;
    const r = await scrapeTracker({ url: tracker.httpUrl('ok', 'tracker'), tier: 0 }, [HASH]);
    assert.equal(r.status, 'not-contacted');
    assert.match(r.error!, /this tracker has no scrape URL/);
    assert.equal(tracker.httpRequests.length, before);
  });

  test('an answer without a "files" dictionary is a tracker error, not a torrent the tracker does not know', async () => {
    const none = await scrapeTracker({ url: tracker.httpUrl('no-files'), tier: 0 }, [HASH]);
    assert.deepEqual([none.status, none.ok, none.error], ['tracker-error', false, 'the scrape answer has no "files" dictionary']);
    const list = await scrapeTracker({ url: tracker.httpUrl('files-not-dict'), tier: 0 }, [HASH]);
    assert.deepEqual([list.status, list.error], ['tracker-error', 'the scrape answer\'s "files" is a list, not a dictionary']);
  });

  test('failure reason and UTF-8 mangled keys', async () => {
    const failure = await scrapeTracker({ url: tracker.httpUrl('failure'), tier: 0 }, [HASH]);
    assert.equal(failure.status, 'tracker-error');
    assert.equal(failure.error, 'scrape is disabled here');
    const utf8 = await scrapeTracker({ url: tracker.httpUrl('utf8-keys'), tier: 0 }, [HASH, HASH2]);
    assert.equal(utf8.status, 'working');
    assert.deepEqual(
      utf8.entries.map((e) => [e.found, e.complete]),
      [
        [true, 10],
        [true, 11],
      ],
    );
    assert.ok(utf8.notes.some((n) => /as UTF-8 text instead of 20 raw bytes/.test(n)));
  });
});

describe('UDP', () => {
  test('announce: counts, peers, and BEP 41 URL data carrying the path and query', async () => {
    const url = await tracker.udpUrl('ok', '/announce?passkey=abcdef0123456789abcdef');
    const r = await announce(url);
    assert.equal(r.status, 'working', r.error);
    assert.deepEqual([r.complete, r.incomplete, r.interval], [3, 2, 1800]);
    assert.deepEqual(
      r.peers.map((p) => `${p.ip}:${p.port}`),
      ['127.0.0.1:6881', '10.9.8.7:51413'],
    );
    const packet = tracker.udpPackets.filter((p) => p.behaviour === 'ok' && p.action === 1).at(-1)!;
    assert.equal(packet.urlData, '/announce?passkey=abcdef0123456789abcdef');
    assert.deepEqual([packet.infoHashes[0], packet.event, packet.port, packet.left], [HASH.hex, 2, 6881, 1234n]);
  });

  test('BEP 41: URL data longer than 255 bytes goes in several options', async () => {
    const long = `/announce?x=${'y'.repeat(600)}`;
    const r = await announce(await tracker.udpUrl('ok', long));
    assert.equal(r.status, 'working', r.error);
    assert.equal(tracker.udpPackets.filter((p) => p.action === 1).at(-1)!.urlData, long);
  });

  test('wrong transaction ids are ignored and the right answer accepted', async () => {
    const r = await announce(await tracker.udpUrl('wrong-transaction-id'));
    assert.equal(r.status, 'working', r.error);
    assert.deepEqual(
      r.attempts.map((a) => a.step),
      ['connect', 'announce'],
    );
    assert.match(r.attempts[0].outcome, /^answered \(after ignoring 1 packet: transaction id [0-9a-f]{8}, expected [0-9a-f]{8}\)$/);
    assert.match(r.attempts[1].outcome, /after ignoring 1 packet/);
  });

  test('a lost packet is retried with a doubled timeout, and the user sees what was tried', async () => {
    const r = await announce(await tracker.udpUrl('drop-first-connect'), { udpRetryTimeoutMs: 100 });
    assert.equal(r.status, 'working', r.error);
    assert.deepEqual(
      r.attempts.map((a) => [a.step, a.outcome]),
      [
        ['connect', 'no answer within 100 ms'],
        ['connect', 'answered'],
        ['announce', 'answered'],
      ],
    );
  });

  test('silence: timed out, with every try listed', async () => {
    const r = await announce(await tracker.udpUrl('silent'), { timeoutMs: 700, udpRetryTimeoutMs: 100 });
    assert.equal(r.status, 'timed-out');
    assert.match(r.error!, /^timed out after 700 ms: \d connect requests sent to 127\.0\.0\.1:\d+, no answer$/);
    // Each try waits twice as long as the one before, the last one only until the deadline.
    assert.deepEqual(
      r.attempts.slice(0, 2).map((a) => a.outcome),
      ['no answer within 100 ms', 'no answer within 200 ms'],
    );
    assert.ok(r.attempts.every((a) => a.step === 'connect' && /^no answer within \d+ ms$/.test(a.outcome)));
  });

  test('packets too short to carry a transaction id are ignored, and named when time runs out', async () => {
    const r = await announce(await tracker.udpUrl('short-garbage'), { timeoutMs: 400, udpRetryTimeoutMs: 100 });
    assert.equal(r.status, 'timed-out');
    assert.match(r.error!, /ignored \d packets? \(3-byte packet, too short for a transaction id/);
  });

  test('truncated answer, error action, unknown action, wrong action: clear tracker errors', async () => {
    const truncated = await announce(await tracker.udpUrl('truncated'));
    assert.equal(truncated.status, 'tracker-error');
    assert.match(truncated.error!, /^truncated announce answer: 12 bytes, at least 20 expected/);
    const error = await announce(await tracker.udpUrl('error'));
    assert.deepEqual([error.status, error.error], ['tracker-error', 'torrent not registered here']);
    const unknown = await announce(await tracker.udpUrl('unknown-action'));
    assert.match(unknown.error!, /^unknown action 7 in answer to announce/);
    const wrong = await announce(await tracker.udpUrl('wrong-action'));
    assert.match(wrong.error!, /^unexpected action 2 \(scrape\) in answer to announce/);
  });

  test('connection refused (ICMP port unreachable): unreachable, not a timeout', async () => {
    const r = await announce('udp://127.0.0.1:1', { timeoutMs: 5000 });
    assert.equal(r.status, 'unreachable');
    assert.match(r.error!, /connection refused/);
  });

  test('a stale cached connection id refused by the tracker: reconnected once, and noted', async () => {
    const url = await tracker.udpUrl('ok');
    const cache = new UdpConnectionCache();
    cache.set(url.replace('udp://', ''), 12345n, Date.now());
    const r = await announce(url, { udpConnections: cache });
    assert.equal(r.status, 'working', r.error);
    assert.deepEqual(
      r.attempts.map((a) => a.step),
      ['announce', 'connect', 'announce'],
    );
    assert.ok(r.notes.some((n) => /refused a connection id/.test(n)));
  });

  test('concurrent announces to one tracker share one connect', async () => {
    const url = await tracker.udpUrl('ok');
    const before = tracker.udpPackets.filter((p) => p.action === 0).length;
    const results = await announceAll([{ url, tier: 0 }], [HASH, HASH2], { ...quick, udpConnections: new UdpConnectionCache() });
    assert.ok(results.every((r) => r.ok));
    assert.equal(tracker.udpPackets.filter((p) => p.action === 0).length - before, 1);
  });

  test('IPv6: 18-byte peer entries', async () => {
    const r = await announce(await tracker.udpUrl('ipv6'));
    assert.equal(r.status, 'working', r.error);
    assert.deepEqual(
      r.peers.map((p) => `${p.ip} ${p.port}`),
      ['2001:db8::1 6881', '::ffff:192.0.2.1 6882'],
    );
    assert.deepEqual(r.notes, []);
  });

  test('scrape: an answer with fewer counts than hashes asked is a truncated answer, a tracker error', async () => {
    for (const behaviour of ['short-scrape', 'truncated']) {
      const r = await scrapeTracker({ url: await tracker.udpUrl(behaviour), tier: 0 }, [HASH, HASH2], {
        udpConnections: new UdpConnectionCache(),
      });
      assert.equal(r.status, 'tracker-error', behaviour);
      assert.equal(r.ok, false);
      assert.match(r.error!, /^truncated scrape answer: (20|12) bytes, 32 expected for 2 hashes \(/, behaviour);
    }
  });

  test('scrape: more than 74 hashes go in several packets, counts in order', async () => {
    const url = await tracker.udpUrl('ok');
    const hashes = Array.from({ length: 80 }, (_, i): InfoHashTarget => ({ hex: i.toString(16).padStart(40, '0'), kind: 'v1' }));
    const before = tracker.udpPackets.length;
    const r = await scrapeTracker({ url, tier: 0 }, hashes, { udpConnections: new UdpConnectionCache() });
    assert.equal(r.status, 'working', r.error);
    const scrapes = tracker.udpPackets.slice(before).filter((p) => p.action === 2);
    assert.deepEqual(
      scrapes.map((p) => p.infoHashes.length),
      [74, 6],
    );
    assert.deepEqual(
      r.entries.slice(73, 76).map((e) => [e.complete, e.downloaded, e.incomplete]),
      [
        [83, 103, 93],
        [10, 30, 20],
        [11, 31, 21],
      ],
    );
  });
});

describe('WebSocket (WebTorrent)', () => {
  test('announce: counts and interval; we ask for no peers and send no WebRTC offers, and say why', async () => {
    const before = tracker.wsMessages.length;
    const r = await announce(tracker.wsUrl('ws-ok'), { userAgent: 'TestAgent/1.0', numwant: 30 });
    assert.equal(r.status, 'working', r.error);
    assert.equal(r.protocol, 'ws');
    assert.deepEqual([r.complete, r.incomplete, r.interval, r.peers.length], [4, 1, 120, 0]);
    assert.deepEqual(r.notes, [
      'peers behind a WebSocket tracker are WebRTC peers (WebTorrent), which Torrent Lens does not contact: it asks for none (numwant 0, no offers)',
    ]);
    const [{ message, headers }] = tracker.wsMessages.slice(before);
    assert.equal(headers['user-agent'], 'TestAgent/1.0');
    assert.deepEqual(
      { ...message, peer_id: undefined },
      {
        action: 'announce',
        info_hash: Buffer.from(HASH.hex, 'hex').toString('latin1'),
        peer_id: undefined,
        numwant: 0,
        uploaded: 0,
        downloaded: 0,
        left: 1234,
        event: 'started',
        offers: [],
      },
    );
    assert.match(String(message.peer_id), /^-TL0100-[0-9A-Za-z]{12}$/);
    assert.deepEqual(
      r.attempts.map((a) => [a.step, a.target, a.outcome]),
      [
        ['connect', tracker.wsUrl('ws-ok'), 'HTTP 101 Switching Protocols'],
        ['announce', tracker.wsUrl('ws-ok'), 'answered'],
      ],
    );
    const raw = r.raw as { entries: [string, RawValue][] };
    assert.deepEqual(raw.entries.find(([key]) => key === 'info_hash')?.[1], { hex: HASH.hex, length: 20 });
  });

  test('started then stopped: a second announce with event stopped', async () => {
    const before = tracker.wsMessages.length;
    const r = await announce(tracker.wsUrl('ws-ok'), { event: 'started-then-stopped' });
    assert.equal(r.stopped?.ok, true);
    assert.deepEqual(
      tracker.wsMessages.slice(before).map((m) => m.message.event),
      ['started', 'stopped'],
    );
  });

  test('a WebRTC offer relayed from another peer is not the answer: ignored, and noted', async () => {
    const r = await announce(tracker.wsUrl('ws-offers-first'));
    assert.equal(r.status, 'working', r.error);
    assert.equal(r.complete, 4);
    assert.equal(r.attempts[1].outcome, 'answered (after ignoring 1 message: a WebRTC offer from another peer)');
  });

  test('failure reason, warning message, hostile text, odd numbers', async () => {
    const failure = await announce(tracker.wsUrl('ws-failure'));
    assert.deepEqual([failure.status, failure.error], ['tracker-error', 'torrent not registered here']);
    const warning = await announce(tracker.wsUrl('ws-warning'));
    assert.deepEqual([warning.status, warning.warning], ['working', 'your client is outdated']);
    const hostile = await announce(tracker.wsUrl('ws-hostile-text'));
    assert.equal(hostile.error, 'bad \\x1b[31mred\\x07 <script>alert(1)</script>\\r\\nline');
    const odd = await announce(tracker.wsUrl('ws-bad-numbers'));
    assert.equal(odd.status, 'working', odd.error);
    assert.deepEqual([odd.interval, odd.complete, odd.incomplete], [undefined, undefined, 5]);
    assert.ok(odd.notes.includes('"interval" is 100000000000000000000, not a whole number from 0 to 2^53; ignored'), odd.notes.join('; '));
    assert.ok(odd.notes.includes('"complete" is -1, not a whole number from 0 to 2^53; ignored'), odd.notes.join('; '));
    assert.ok(odd.notes.includes('"incomplete" is a string, not a number; read as 5'), odd.notes.join('; '));
  });

  test('silence, a huge message, not JSON, not an object, a close: each a clear error, nothing hangs', async () => {
    const silent = await announce(tracker.wsUrl('ws-silent'), { timeoutMs: 300 });
    assert.deepEqual([silent.status, silent.error], ['timed-out', 'timed out after 300 ms while waiting for the answer']);
    const huge = await announce(tracker.wsUrl('ws-huge'), { maxResponseBytes: 1024 * 1024 });
    assert.deepEqual(
      [huge.status, huge.error],
      ['tracker-error', 'the answer is too large: a WebSocket message over the 1,048,576-byte limit'],
    );
    const garbage = await announce(tracker.wsUrl('ws-garbage'));
    assert.deepEqual([garbage.status, garbage.error], ['tracker-error', 'the answer is not JSON. It begins "this is not JSON {".']);
    const list = await announce(tracker.wsUrl('ws-not-object'));
    assert.equal(list.error, 'the answer is a JSON array, not an object: "[1, 2, 3]"');
    const closed = await announce(tracker.wsUrl('ws-close'));
    assert.deepEqual(
      [closed.status, closed.error],
      ['tracker-error', 'the tracker closed the connection before answering (1011 overloaded)'],
    );
  });

  test('no WebSocket there: the HTTP answer, a refused connection, a server without TLS', async () => {
    const refused = await announce(tracker.wsUrl('not-ws'));
    assert.deepEqual(
      [refused.status, refused.error],
      ['tracker-error', 'HTTP 404 Not Found: the server did not switch to the WebSocket protocol'],
    );
    const closed = await announce('ws://127.0.0.1:1/announce');
    assert.equal(closed.status, 'unreachable');
    assert.match(closed.error!, /^connection refused by 127\.0\.0\.1:1/);
    const tls = await announce(tracker.wsUrl('ws-ok').replace('ws://', 'wss://'));
    assert.equal(tls.status, 'unreachable');
    assert.match(tls.error!, /^TLS handshake with 127\.0\.0\.1:\d+ failed: wrong version number/);
  });

  test('cancelled while waiting for the answer', async () => {
    const controller = new AbortController();
    const running = announce(tracker.wsUrl('ws-silent'), { timeoutMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const r = await running;
    assert.deepEqual([r.status, r.error], ['cancelled', 'cancelled']);
  });

  test('scrape: every hash in one message, counts per hash; an answer without files is an error', async () => {
    const before = tracker.wsMessages.length;
    const r = await scrapeTracker({ url: tracker.wsUrl('ws-ok'), tier: 0 }, [HASH, HASH2]);
    assert.equal(r.status, 'working', r.error);
    assert.equal(r.scrapeUrl, tracker.wsUrl('ws-ok'));
    assert.deepEqual(
      r.entries.map((e) => [e.hash, e.found, e.complete, e.incomplete, e.downloaded]),
      [
        [HASH.hex, true, 7, 8, 9],
        [HASH2.hex, true, 8, 9, 10],
      ],
    );
    assert.equal(r.minRequestInterval, 60);
    assert.deepEqual(
      tracker.wsMessages.slice(before).map((m) => m.message),
      [{ action: 'scrape', info_hash: [HASH, HASH2].map((h) => Buffer.from(h.hex, 'hex').toString('latin1')) }],
    );
    const none = await scrapeTracker({ url: tracker.wsUrl('ws-no-files'), tier: 0 }, [HASH]);
    assert.deepEqual([none.status, none.error], ['tracker-error', 'the scrape answer has no "files" dictionary']);
  });

  test('a private torrent: the passkey in a WebSocket tracker URL is hidden too', async () => {
    const url = `${tracker.wsUrl('ws-failure')}?passkey=abc123def456`;
    const [r] = await announceAll([{ url, tier: 0 }], [HASH], {
      ...quick,
      secrets: Secrets.forTorrent({ trackers: [[url]], private: true }),
    });
    assert.equal(r.tracker, tracker.wsUrl('ws-failure').replace('/ws-failure/', '/[redacted]/') + '?passkey=[redacted]');
    assert.ok(!JSON.stringify(r).includes('abc123def456'));
  });
});

test('redaction: passkeys hidden in the tracker URL, attempts and messages unless asked', async () => {
  const url = `${tracker.httpUrl('not-found')}?passkey=0123456789abcdef0123`;
  const r = await announce(url);
  const redacted = redactResult(r, Secrets.forTorrent({ trackers: [[url]] }));
  assert.ok(!JSON.stringify(redacted).includes('0123456789abcdef0123'));
  assert.match(redacted.tracker, /passkey=\[redacted\]/);
  assert.ok(JSON.stringify(redactResult(r, Secrets.forTorrent({ trackers: [[url]] }, { show: true }))).includes('0123456789abcdef0123'));
});

describe('secrets', () => {
  // Shorter than the 16 characters that make a segment look generated: only the private flag says it is a secret.
  const passkey = 'abc123def456';
  const uk = 'Zq9xW2vB7n';

  test('a private torrent: passkeys never reach results or the log, wherever a tracker quotes them; the trackers still get them', async () => {
    const base = tracker.httpUrl('x').replace(/\/x\/announce$/, '');
    const urls = [
      `${base}/echo-request/${passkey}/announce?uk=${uk}`,
      `${base}/redirect-relative/${passkey}/announce?uk=${uk}`,
      await tracker.udpUrl('echo-url-data', `/${passkey}/announce?uk=${uk}`),
    ];
    const secrets = Secrets.forTorrent({ trackers: [urls], private: true });
    const httpBefore = tracker.httpRequests.length;
    const udpBefore = tracker.udpPackets.length;
    const log: string[] = [];
    const delivered: string[] = [];
    const results = await announceAll(
      urls.map((url) => ({ url, tier: 0 })),
      [HASH],
      { ...quick, secrets, log: (_level, message) => log.push(message), udpConnections: new UdpConnectionCache() },
      (result) => delivered.push(JSON.stringify(result)),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      ['tracker-error', 'working', 'tracker-error'],
    );
    const shown = [JSON.stringify(results), ...delivered, ...log].join('\n');
    assert.ok(!shown.includes(passkey), shown);
    assert.ok(!shown.includes(uk), shown);
    assert.equal(results[0].tracker, `${base}/[redacted]/[redacted]/announce?uk=[redacted]`);
    assert.match(
      results[0].error!,
      /^unknown passkey in "GET \/\[redacted\]\/\[redacted\]\/announce\?uk=\[redacted\]&info_hash=[^ ]+ HTTP\/1\.1"$/,
    );
    assert.match(results[1].attempts[0].outcome, /^HTTP 307 → \/\[redacted\]\/\[redacted\]\/announce\?uk=\[redacted\]&info_hash=/);
    assert.equal(results[2].error, 'unknown passkey in /[redacted]/announce?uk=[redacted]');
    assert.ok(tracker.httpRequests.slice(httpBefore).every((r) => r.path.includes(passkey) && r.rawQuery.includes(`uk=${uk}`)));
    assert.ok(tracker.udpPackets.slice(udpBefore).some((p) => p.urlData === `/${passkey}/announce?uk=${uk}`));
  });

  test('a public torrent: the passkey parameter is hidden, readable path segments are not', async () => {
    const url = `${tracker.httpUrl('echo-request')}?passkey=${passkey}`;
    const [result] = await announceAll([{ url, tier: 0 }], [HASH], { ...quick, secrets: Secrets.forTorrent({ trackers: [[url]] }) });
    assert.equal(result.tracker, `${tracker.httpUrl('echo-request')}?passkey=[redacted]`);
    assert.match(result.error!, /^unknown passkey in "GET \/echo-request\/announce\?passkey=\[redacted\]&info_hash=/);
  });

  test('secrets shown: results as the tracker gave them', async () => {
    const url = `${tracker.httpUrl('echo-request')}?passkey=${passkey}`;
    const secrets = Secrets.forTorrent({ trackers: [[url]], private: true }, { show: true });
    const [result] = await announceAll([{ url, tier: 0 }], [HASH], { ...quick, secrets });
    assert.equal(result.tracker, url);
    assert.ok(result.error!.includes(passkey));
  });
});

test('a deadline beyond what a timer holds is waited for, not fired after 1 ms (HTTP and UDP)', async () => {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
  process.on('warning', onWarning);
  try {
    const far = 2 ** 32;
    const startedAt = Date.now();
    const http = await httpGet(tracker.httpUrl('delayed'), {
      deadline: startedAt + far,
      timeoutMs: far,
      maxBytes: 1 << 20,
      maxRedirects: 0,
      userAgent: 'test',
      attempts: [],
      startedAt,
    });
    assert.equal(http.status, 200);
    const attempts: Attempt[] = [];
    const udp = await udpAnnounce(
      {
        url: await tracker.udpUrl('delayed'),
        infoHash: Buffer.from(HASH.hex, 'hex'),
        peerId: Buffer.from('-TL0100-abcdefghijkl'),
        downloaded: 0,
        left: 1,
        uploaded: 0,
        event: 'started',
        key: 1,
        numwant: 5,
        port: 6881,
      },
      { deadline: startedAt + far, timeoutMs: far, retryTimeoutMs: far, startedAt, attempts, connections: new UdpConnectionCache() },
    );
    assert.equal(udp.complete, 3);
    assert.deepEqual(
      attempts.map((a) => [a.step, a.outcome]),
      [
        ['connect', 'answered'],
        ['announce', 'answered'],
      ],
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(warnings, []);
  } finally {
    process.off('warning', onWarning);
  }
});
