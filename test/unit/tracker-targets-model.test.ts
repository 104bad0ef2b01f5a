// Which trackers a run asks, and the checks on a choice that comes from outside the extension.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Secrets } from '../../src/core/privacy/secrets';
import type { TrackerTarget } from '../../src/core/tracker/types';
import { WORD_JOINER } from '../../src/view-model/notification-text';
import { runTargetFrom, savedRunSource, trackerPicks, trackersFor, type UrlShowing } from '../../src/view-model/trackers/targets';

const passkey = '0123456789abcdef0123456789abcdef';
const trackers: TrackerTarget[] = [
  { url: `http://tracker.example/${passkey}/announce`, tier: 0 },
  { url: 'udp://127.0.0.1:6969/announce', tier: 0 },
  { url: 'wss://tracker.example/announce', tier: 1 },
];
const secrets = Secrets.forTorrent({ trackers: [trackers.map((t) => t.url)] });
const hidden: UrlShowing = { secrets, show: false };
const shown: UrlShowing = { secrets, show: true };

test('a target from outside counts only as all, a tier index or a URL string', () => {
  assert.deepEqual(runTargetFrom({ all: true }), { all: true });
  assert.deepEqual(runTargetFrom({ tier: 2 }), { tier: 2 });
  assert.deepEqual(runTargetFrom({ url: 'udp://x' }), { url: 'udp://x' });
  for (const other of [
    undefined,
    null,
    'all',
    [{ all: true }],
    { all: 'true' },
    { tier: -1 },
    { tier: 1.5 },
    { tier: '1' },
    { url: 7 },
    {},
  ]) {
    assert.equal(runTargetFrom(other), undefined, JSON.stringify(other));
  }
});

test("a restored panel's saved state names its last run only when it has the right shape", () => {
  const state = { run: { kind: 'scrape', source: { torrentUri: 'file:///t/a.torrent', target: { tier: 1 } } } };
  assert.deepEqual(savedRunSource(state), { kind: 'scrape', torrentUri: 'file:///t/a.torrent', target: { tier: 1 } });
  for (const other of [
    undefined,
    null,
    7,
    { run: null },
    { run: 'x' },
    { run: { kind: 'delete', source: { torrentUri: 'file:///a' } } },
    { run: { kind: 'announce', source: null } },
    { run: { kind: 'announce', source: { torrentUri: 42 } } },
  ]) {
    assert.equal(savedRunSource(other), undefined, JSON.stringify(other));
  }
});

test('a target names trackers, or says why it names none; secrets stay hidden unless shown', () => {
  const one = trackersFor(trackers, { url: trackers[0].url }, hidden);
  assert.ok(!('error' in one));
  assert.deepEqual(one.trackers, [trackers[0]]);
  assert.ok(!one.scope.includes(passkey), 'the scope is redacted');
  assert.ok(!('url' in one.target && one.target.url.includes(passkey)), 'the saved target is redacted');
  // A restored panel passes the redacted URL; it still finds the tracker.
  const again = trackersFor(trackers, one.target, shown);
  assert.ok(!('error' in again));
  assert.deepEqual(again.trackers, [trackers[0]]);
  assert.ok(again.scope.includes(passkey), 'shown when the user shows secrets');

  const tier = trackersFor(trackers, { tier: 0 }, hidden);
  assert.ok(!('error' in tier));
  assert.deepEqual([tier.trackers.length, tier.scope], [2, 'tier 1']);
  assert.deepEqual(trackersFor(trackers, { tier: 5 }, hidden), { error: 'This torrent has no tier 6.' });
  const missing = trackersFor(trackers, { url: `http://other.example/${passkey}/announce` }, hidden);
  assert.ok('error' in missing && !missing.error.includes(passkey));
});

test('the picker: all trackers, the tiers when there are several, then each tracker', () => {
  const picks = trackerPicks(trackers, hidden);
  assert.deepEqual(
    picks.map((p) => ('heading' in p ? `# ${p.heading}` : `${p.label} | ${p.description}`)),
    [
      '$(broadcast) All trackers | 3 trackers in 2 tiers, all at once',
      '# Tiers',
      '$(layers) Tier 1 | 2 trackers',
      '$(layers) Tier 2 | 1 tracker',
      '# Trackers',
      '$(radio-tower) http://tracker.example/[redacted]/announce | tier 1 · HTTP',
      '$(radio-tower) udp://127.0.0.1:6969/announce | tier 1 · UDP',
      '$(radio-tower) wss://tracker.example/announce | tier 2 · WSS',
    ],
  );
  const words = picks.flatMap((p) =>
    'heading' in p ? [p.heading] : [p.label, p.description, p.choice.scope, JSON.stringify(p.choice.target)],
  );
  assert.ok(!words.join('\n').includes(passkey), 'no passkey in what the picker shows or saves');
  assert.equal(
    picks.flatMap((p) => ('choice' in p ? p.choice.trackers : [])).filter((t) => t.url.includes(passkey)).length,
    3,
    'the run gets the real URL',
  );
  assert.equal(trackerPicks([trackers[0]], hidden).filter((p) => 'heading' in p && p.heading === 'Tiers').length, 0);
});

test('a tracker URL in the picker shows as it is, never as an icon or a link of the picker', () => {
  const odd: TrackerTarget[] = [
    { url: 'http://127.0.0.1:9/$(alert)/announce', tier: 0 },
    { url: 'http://127.0.0.1:9/[Fix](command:workbench.action.terminal.new)', tier: 0 },
  ];
  const labels = trackerPicks(odd, { secrets: Secrets.forTorrent({ trackers: [odd.map((t) => t.url)] }), show: true }).flatMap((p) =>
    'label' in p ? [p.label] : [],
  );
  assert.deepEqual(labels, [
    '$(broadcast) All trackers',
    `$(radio-tower) http://127.0.0.1:9/$${WORD_JOINER}(alert)/announce`,
    `$(radio-tower) http://127.0.0.1:9/[Fix]${WORD_JOINER}(command:workbench.action.terminal.new)`,
  ]);
});
