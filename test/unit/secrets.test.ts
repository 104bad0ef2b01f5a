// One torrent's secrets: which parts of its URLs are secret (by its private flag), and their values hidden
// wherever they turn up afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encode } from '../../src/core/bencode/decode';
import { magnetLink } from '../../src/core/magnet/link';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import { MIN_SECRET_LENGTH, Secrets } from '../../src/core/privacy/secrets';
import { redactResult } from '../../src/core/tracker/report';
import type { AnnounceResult } from '../../src/core/tracker/types';

const privateTorrent = (...trackers: string[]) => Secrets.forTorrent({ trackers: [trackers], private: true });
const publicTorrent = (...trackers: string[]) => Secrets.forTorrent({ trackers: [trackers], private: false });

test('a private torrent: every path segment but a final announce/scrape, every query value and the user-info are secret', () => {
  const secrets = privateTorrent();
  const cases: [string, string][] = [
    ['http://t.example/abc123def456/announce', 'http://t.example/[redacted]/announce'],
    ['udp://t.example:6969/abc123def456/announce', 'udp://t.example:6969/[redacted]/announce'],
    ['https://t.example/announce.php?uk=Xy7pQ2', 'https://t.example/announce.php?uk=[redacted]'],
    ['https://t.example/tracker.php/k3y/scrape', 'https://t.example/[redacted]/[redacted]/scrape'],
    ['https://t.example:2053/announce/0f1e2d3c4b5a6978', 'https://t.example:2053/[redacted]/[redacted]'],
    ['http://me:pw@t.example/announce', 'http://[redacted]@t.example/announce'],
    ['http://t.example/announce#x', 'http://t.example/announce#[redacted]'],
    ['http://t.example/announce', 'http://t.example/announce'],
  ];
  for (const [url, shown] of cases) {
    assert.equal(secrets.redactUrl(url), shown, url);
    assert.equal(secrets.hasSecret(url), url !== shown, url);
  }
});

test('a URL with the whitespace some torrents keep around it is still read as a URL', () => {
  assert.equal(privateTorrent().redactUrl(' http://t.example/abc123def456/announce\n'), ' http://t.example/[redacted]/announce\n');
  assert.equal(publicTorrent().redactUrl('\thttp://me:pw@t.example/announce'), '\thttp://[redacted]@t.example/announce');
});

test('the BEP 3 announce parameters stay visible, also for a private torrent', () => {
  const request =
    'http://t.example/announce?uk=abc&info_hash=%12%AB%CD%EF0123456789%00%01%02%03%04%05%06%07%08&peer_id=-TL0100-a1b2c3d4e5f6&port=6881&uploaded=0&downloaded=0&left=5&event=started&numwant=50&compact=1&no_peer_id=1';
  assert.equal(privateTorrent().redactUrl(request), request.replace('uk=abc', 'uk=[redacted]'));
});

test('a public torrent: known passkey parameters and long generated segments only; words are not secrets', () => {
  const secrets = publicTorrent();
  const cases: [string, string][] = [
    ['http://127.0.0.1:6969/peers-not-multiple-of-6/announce', 'http://127.0.0.1:6969/peers-not-multiple-of-6/announce'],
    ['http://t.example/abc123def456/announce', 'http://t.example/abc123def456/announce'],
    ['http://t.example/0123456789abcdef0123/announce', 'http://t.example/[redacted]/announce'],
    ['http://t.example/announce.php?passkey=abc&x=1', 'http://t.example/announce.php?passkey=[redacted]&x=1'],
    ['http://me:pw@t.example/announce', 'http://[redacted]@t.example/announce'],
    ['https://releases.example/22.04/ubuntu-22.04-desktop-amd64.iso', 'https://releases.example/22.04/ubuntu-22.04-desktop-amd64.iso'],
  ];
  for (const [url, shown] of cases) assert.equal(secrets.redactUrl(url), shown, url);
});

test('once known, a secret value is hidden wherever it appears: request lines, relative redirects, comments, JSON', () => {
  const passkey = 'abc123def456';
  const uk = 'Zq9xW2vB7n';
  const secrets = privateTorrent(`https://t.example/${passkey}/announce?uk=${uk}`);
  assert.equal(
    secrets.redact(`unknown key in request "GET /${passkey}/announce?uk=${uk}&info_hash=%AB HTTP/1.1"`),
    'unknown key in request "GET /[redacted]/announce?uk=[redacted]&info_hash=%AB HTTP/1.1"',
  );
  assert.equal(secrets.redact(`HTTP 302 → /other/announce?k=${passkey}`), 'HTTP 302 → /[redacted]/announce?k=[redacted]');
  assert.equal(secrets.redact(`your passkey is ${passkey}, keep it (uk ${uk})`), 'your passkey is [redacted], keep it (uk [redacted])');
  assert.equal(
    secrets.redact(`Announce to https://t.example/${passkey}/announce only.`),
    'Announce to https://t.example/[redacted]/announce only.',
  );
  const json = JSON.stringify(secrets.redactJson({ list: [`x${passkey}y`, 42], nested: { text: `…${uk}…` } }));
  assert.ok(!json.includes(passkey) && !json.includes(uk), json);
  assert.equal(secrets.hidesAnything, true);
});

test('a secret is recognised percent-encoded and decoded', () => {
  const secrets = privateTorrent('http://t.example/announce?pk=s3cr3t%2Bkey%2F42');
  assert.equal(secrets.redact('key s3cr3t+key/42 refused'), 'key [redacted] refused');
  assert.equal(secrets.redact('key s3cr3t%2Bkey%2F42 refused'), 'key [redacted] refused');
  assert.equal(secrets.redact('key s3cr3t%2bkey%2f42 refused'), 'key [redacted] refused');
});

test('values too short or too plain to be secrets are hidden in their URL but not in every text', () => {
  assert.equal(MIN_SECRET_LENGTH, 8);
  const secrets = privateTorrent('http://t.example/tracker/announce?id=1', 'http://t.example/announce/abc123');
  assert.equal(secrets.redactUrl('http://t.example/tracker/announce?id=1'), 'http://t.example/[redacted]/announce?id=[redacted]');
  assert.equal(secrets.redactUrl('http://t.example/announce/abc123'), 'http://t.example/[redacted]/[redacted]');
  // `tracker`, `announce`, `1` and `abc123` also occur in ordinary text: replacing them everywhere would garble it.
  const text = 'tracker error: 1 peer; announce again later (code abc123)';
  assert.equal(secrets.redact(text), text);
});

test('a web seed of a private torrent keeps its file path; its query values are hidden', () => {
  const secrets = Secrets.forTorrent({
    trackers: [['https://t.example/0f1e2d3c/announce']],
    webSeeds: ['https://mirror.example/files/payload-v2.bin?t=abcd1234efgh'],
    private: true,
  });
  assert.equal(
    secrets.redactUrl('https://mirror.example/files/payload-v2.bin?t=abcd1234efgh'),
    'https://mirror.example/files/payload-v2.bin?t=[redacted]',
  );
  assert.equal(secrets.redact('token abcd1234efgh expired'), 'token [redacted] expired');
});

test('show secrets: nothing is hidden', () => {
  const url = 'http://t.example/abc123def456/announce?uk=Zq9xW2vB7n';
  const shown = Secrets.forTorrent({ trackers: [[url]], private: true }, { show: true });
  assert.equal(shown.redactUrl(url), url);
  assert.equal(shown.redact(`GET /abc123def456/announce HTTP/1.1`), 'GET /abc123def456/announce HTTP/1.1');
  assert.equal(shown.hidesAnything, false);
  assert.equal(shown.hasSecret(url), true, 'it still knows the URL holds a secret');
});

test('a tracker result is redacted through the torrent secrets: URL, attempts, messages, raw answer', () => {
  const passkey = 'abc123def456';
  const url = `http://127.0.0.1:6969/${passkey}/announce`;
  const result: AnnounceResult = {
    kind: 'announce',
    tracker: url,
    tier: 0,
    protocol: 'http',
    hash: '00'.repeat(20),
    hashKind: 'v1',
    event: 'started',
    status: 'tracker-error',
    ok: false,
    error: `passkey not found in "GET /${passkey}/announce?info_hash=%00 HTTP/1.1"`,
    warning: `use /${passkey}/announce.php`,
    notes: [`moved: /new/${passkey}/announce`],
    peers: [],
    durationMs: 5,
    attempts: [
      { step: 'GET', target: `${url}?info_hash=%00`, atMs: 0, waitedMs: 2, outcome: `HTTP 302 → /new/announce?pk=${passkey}` },
      { step: 'GET', target: `http://127.0.0.1:6969/new/announce?pk=${passkey}`, atMs: 2, waitedMs: 2, outcome: 'HTTP 200 OK, 40 bytes' },
    ],
    raw: { entries: [['failure reason', `unknown ${passkey}`]] },
    stopped: { ok: false, error: `${passkey} revoked`, durationMs: 1 },
  };
  const secrets = privateTorrent(url);
  const shown = JSON.stringify(redactResult(result, secrets));
  assert.ok(!shown.includes(passkey), shown);
  const redacted = redactResult(result, secrets);
  assert.equal(redacted.tracker, 'http://127.0.0.1:6969/[redacted]/announce');
  assert.equal(redacted.attempts[0].target, 'http://127.0.0.1:6969/[redacted]/announce?info_hash=%00');
  assert.equal(redacted.status, 'tracker-error');
  assert.ok(
    JSON.stringify(redactResult(result, Secrets.forTorrent({ trackers: [[url]], private: true }, { show: true }))).includes(passkey),
  );
  // The form that knows nothing of the torrent (a boolean) learns the values from the result's own URLs.
  const legacy = { ...result, tracker: `http://127.0.0.1:6969/announce?passkey=${passkey}`, attempts: [] };
  assert.ok(!JSON.stringify(redactResult(legacy)).includes(passkey));
});

test('magnet links hide what the torrent secrets hide', () => {
  const parsed = parseMetainfo(
    encode({
      announce: 'http://127.0.0.1:6969/abc123def456/announce',
      info: { name: 'x', 'piece length': 16384, pieces: new Uint8Array(20), length: 5, private: 1 },
    }),
  );
  assert.ok(parsed.ok);
  const secrets = Secrets.forTorrent(parsed.metainfo);
  const link = magnetLink(parsed.metainfo, { secrets });
  assert.ok(!link.includes('abc123def456'), link);
  assert.ok(link.includes(encodeURIComponent('http://127.0.0.1:6969/[redacted]/announce')), link);
});

test("a private torrent's comment keeps its links to other sites, and hides the tracker's secrets it quotes", () => {
  const passkey = 'k3y9';
  const secrets = privateTorrent(`https://t.example/${passkey}/announce`);
  assert.equal(
    secrets.redact(`Notes at https://example.org/notes/page-2; tracker https://t.example/${passkey}/announce`),
    'Notes at https://example.org/notes/page-2; tracker https://t.example/[redacted]/announce',
  );
  assert.equal(secrets.redact('mirror: https://user:pw@example.org/files'), 'mirror: https://[redacted]@example.org/files');
});
