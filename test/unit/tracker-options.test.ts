// Tracker options bounded before anything is sent: durations a timer can hold, sizes, counts, ports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  announceAll,
  announceToTracker,
  scrapeAll,
  TRACKER_OPTION_LIMITS,
  TrackerOptionsError,
  unsupportedReason,
  validateTrackerOptions,
} from '../../src/core/tracker';

const HASH = { hex: '00'.repeat(20), kind: 'v1' as const };

test('every duration, size and count option has limits, and durations fit a timer', () => {
  for (const name of ['timeoutMs', 'udpRetryTimeoutMs'] as const) assert.ok(TRACKER_OPTION_LIMITS[name].max <= 2 ** 31 - 1, name);
  for (const name of ['maxResponseBytes', 'maxRedirects', 'concurrency', 'numwant', 'port'] as const)
    assert.ok(Number.isSafeInteger(TRACKER_OPTION_LIMITS[name].max), name);
  assert.deepEqual(validateTrackerOptions({}), []);
  assert.deepEqual(
    validateTrackerOptions({
      timeoutMs: 10_000,
      udpRetryTimeoutMs: 1_000,
      maxResponseBytes: 4 << 20,
      concurrency: 64,
      port: 6881,
      numwant: 50,
    }),
    [],
  );
});

test('values beyond the limits are problems that name the option, the range and the value', () => {
  const problems = validateTrackerOptions({
    timeoutMs: 2 ** 31,
    udpRetryTimeoutMs: 0,
    maxResponseBytes: Number.POSITIVE_INFINITY,
    maxRedirects: -1,
    concurrency: 1.5,
    port: 0,
    numwant: Number.NaN,
    left: -5,
    key: 2 ** 32,
    peerId: new Uint8Array(19),
    userAgent: 'bad\r\nX-Injected: 1',
    event: 'sometimes' as never,
  });
  const byOption = new Map(problems.map((p) => [p.option, p.message]));
  assert.deepEqual([...byOption.keys()].sort(), [
    'concurrency',
    'event',
    'key',
    'left',
    'maxRedirects',
    'maxResponseBytes',
    'numwant',
    'peerId',
    'port',
    'timeoutMs',
    'udpRetryTimeoutMs',
    'userAgent',
  ]);
  assert.equal(
    byOption.get('timeoutMs'),
    `must be a whole number from 1 to ${TRACKER_OPTION_LIMITS.timeoutMs.max} (milliseconds), not 2147483648`,
  );
  assert.equal(byOption.get('port'), 'must be a whole number from 1 to 65535, not 0');
  assert.equal(byOption.get('numwant'), `must be a whole number from 0 to ${TRACKER_OPTION_LIMITS.numwant.max}, not NaN`);
  assert.equal(byOption.get('peerId'), 'must be 20 bytes, not 19');
  assert.match(byOption.get('userAgent')!, /printable ASCII/);
});

test('a run with an option out of range is refused before anything is sent', async () => {
  await assert.rejects(
    announceAll([{ url: 'http://127.0.0.1:1/announce', tier: 0 }], [HASH], { timeoutMs: 2 ** 31 }),
    (error: unknown) => error instanceof TrackerOptionsError && error.option === 'timeoutMs' && /^timeoutMs must be/.test(error.message),
  );
  await assert.rejects(scrapeAll([{ url: 'udp://127.0.0.1:1', tier: 0 }], [HASH], { concurrency: 0 }), TrackerOptionsError);
  await assert.rejects(announceToTracker({ url: 'udp://127.0.0.1:1', tier: 0 }, HASH, { port: 70_000 }), TrackerOptionsError);
});

test('port 0 in a tracker URL: not contacted, said plainly', async () => {
  for (const url of ['udp://127.0.0.1:0', 'udp://127.0.0.1:0/announce', 'http://127.0.0.1:0/announce', 'https://127.0.0.1:0/announce'])
    assert.equal(unsupportedReason(url), 'port 0 cannot be contacted: a tracker URL needs a port from 1 to 65535', url);
  const result = await announceToTracker({ url: 'udp://127.0.0.1:0', tier: 0 }, HASH, { event: 'started' });
  assert.deepEqual([result.status, result.error, result.attempts.length], ['not-contacted', unsupportedReason('udp://127.0.0.1:0'), 0]);
});
