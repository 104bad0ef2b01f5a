// The tracker settings as a hand-edited settings.json may hold them: every value checked and bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_USER_AGENT, trackerSettingsFrom } from '../../src/view-model/settings';

const from = (values: Record<string, unknown>) => trackerSettingsFrom((key) => values[key]);

test('nothing set: the defaults declared in package.json', () => {
  assert.deepEqual(from({}), {
    timeoutMs: 10_000,
    udpRetryTimeoutMs: 1_000,
    maxResponseBytes: 4 * 1024 * 1024,
    userAgent: DEFAULT_USER_AGENT,
    numwant: 50,
    port: 6881,
    event: 'started-then-stopped',
    left: 'total',
    confirmAnnounce: true,
  });
});

test('numbers are rounded and kept within their bounds; anything else is the default', () => {
  const s = from({
    'tracker.timeout': 1e12,
    'tracker.udpRetryTimeout': 1,
    'tracker.maxResponseSize': Infinity,
    'announce.numwant': -5,
    'announce.port': 6881.6,
  });
  assert.deepEqual([s.timeoutMs, s.udpRetryTimeoutMs, s.maxResponseBytes, s.numwant, s.port], [120_000, 100, 4 * 1024 * 1024, 0, 6882]);
  const t = from({ 'tracker.timeout': '5000', 'announce.port': null, 'announce.numwant': Number.NaN });
  assert.deepEqual([t.timeoutMs, t.port, t.numwant], [10_000, 6881, 50]);
});

test('a user agent with control characters, or blank, falls back to ours; a good one is trimmed', () => {
  assert.equal(from({ 'http.userAgent': 'Evil\r\nX-Injected: 1' }).userAgent, DEFAULT_USER_AGENT);
  assert.equal(from({ 'http.userAgent': '   ' }).userAgent, DEFAULT_USER_AGENT);
  assert.equal(from({ 'http.userAgent': 'é' }).userAgent, DEFAULT_USER_AGENT);
  assert.equal(from({ 'http.userAgent': 42 }).userAgent, DEFAULT_USER_AGENT);
  assert.equal(from({ 'http.userAgent': ' qBittorrent/4.6.0 ' }).userAgent, 'qBittorrent/4.6.0');
});

test('choices outside their list are the default; only false turns the confirmation off', () => {
  const s = from({ 'announce.event': 'completed', 'announce.left': 'half', 'announce.confirm': 0 });
  assert.deepEqual([s.event, s.left, s.confirmAnnounce], ['started-then-stopped', 'total', true]);
  const t = from({ 'announce.event': 'none', 'announce.left': 'zero', 'announce.confirm': false });
  assert.deepEqual([t.event, t.left, t.confirmAnnounce], ['none', 'zero', false]);
});
