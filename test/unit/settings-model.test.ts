// The tracker settings as a hand-edited settings.json may hold them: every value checked and bounded by
// the tracker core's limits, which package.json declares too, and every value not used as set reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TRACKER_OPTION_LIMITS } from '../../src/core/tracker/options';
import { DEFAULT_USER_AGENT, NUMERIC_SETTINGS, trackerSettingsFrom } from '../../src/view-model/settings';

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

test('numbers are rounded and kept within the core’s bounds, each change reported; anything else is the default', () => {
  const reports: string[] = [];
  const s = trackerSettingsFrom(
    (key) =>
      ({
        'tracker.timeout': 1e12,
        'tracker.udpRetryTimeout': 0,
        'tracker.maxResponseSize': Infinity,
        'announce.numwant': -5,
        'announce.port': 6881.6,
      })[key],
    (problem) => reports.push(problem),
  );
  assert.deepEqual(
    [s.timeoutMs, s.udpRetryTimeoutMs, s.maxResponseBytes, s.numwant, s.port],
    [TRACKER_OPTION_LIMITS.timeoutMs.max, TRACKER_OPTION_LIMITS.udpRetryTimeoutMs.min, 4 * 1024 * 1024, 0, 6882],
  );
  assert.deepEqual(reports, [
    'torrentLens.tracker.timeout is 1,000,000,000,000; using 600,000, the most allowed (from 1 to 600,000)',
    'torrentLens.tracker.udpRetryTimeout is 0; using 1, the least allowed (from 1 to 600,000)',
    'torrentLens.tracker.maxResponseSize is Infinity, not a number; using the default, 4,194,304',
    'torrentLens.announce.numwant is -5; using 0, the least allowed (from 0 to 10,000)',
    'torrentLens.announce.port is 6881.6; using 6,882, a whole number (from 1 to 65,535)',
  ]);
  const t = from({ 'tracker.timeout': '5000', 'announce.port': null, 'announce.numwant': Number.NaN });
  assert.deepEqual([t.timeoutMs, t.port, t.numwant], [10_000, 6881, 50]);
  const quiet: string[] = [];
  trackerSettingsFrom(
    () => undefined,
    (problem) => quiet.push(problem),
  );
  assert.deepEqual(quiet, [], 'nothing set, nothing to say');
});

test('package.json declares each numeric setting with the core’s bounds and the default used here', () => {
  const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { type: string; default: number; minimum: number; maximum: number }> } };
  };
  const declared = manifest.contributes.configuration.properties;
  for (const { key, option, fallback } of NUMERIC_SETTINGS) {
    const setting = declared[`torrentLens.${key}`];
    assert.ok(setting, key);
    assert.deepEqual(
      [setting.type, setting.minimum, setting.maximum, setting.default],
      ['integer', TRACKER_OPTION_LIMITS[option].min, TRACKER_OPTION_LIMITS[option].max, fallback],
      key,
    );
  }
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
