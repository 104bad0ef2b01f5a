// "A private torrent with passkeys in every place listed shows none of them in any output of the CLI, the
// panel or the log unless asked." The torrent's tracker URLs carry passkeys in the user-info, in a short
// path segment, in a query value under a name no list knows and as a long generated path segment; its
// comment quotes one of them; its trackers (our hostile tracker on 127.0.0.1) answer with failure reasons
// that quote the request line, over HTTP and UDP, and with a redirect whose relative Location carries the
// passkey. Every output is searched for every passkey: the CLI's show, announce and scrape, as text and as
// JSON (and the errors it prints); the panel's rows, its JSON and its raw answers; and the log's lines.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from '../../src/cli/command';
import { showCommand } from '../../src/cli/commands/show';
import { announceCommand, scrapeCommand } from '../../src/cli/commands/trackers';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import { announceHashes, trackerTargets } from '../../src/core/tracker';
import type { TrackersHostEvent } from '../../src/shared/protocol/trackers';
import { logLine } from '../../src/view-model/log-line';
import { trackerSettingsFrom } from '../../src/view-model/settings';
import { TrackerRun } from '../../src/view-model/trackers/run';
import { runCommand } from '../support/cli-command';
import { startHostileTracker, type HostileTracker } from '../support/hostile-tracker';
import { PASSKEYS, privateTorrent } from '../support/trackers-fixtures';

const secrets = Object.entries(PASSKEYS);

/** Which passkeys appear in `text`, by where the torrent keeps them. */
function passkeysIn(text: string): string[] {
  return secrets.filter(([, value]) => text.includes(value) || text.includes(encodeURIComponent(value))).map(([where]) => where);
}

/** A command's output as text: show writes its listing as bytes, the tracker commands write strings. */
async function run(command: Command, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const { code, out, err, outBytes } = await runCommand(command, argv);
  return { code, out: out + Buffer.concat(outBytes).toString('utf8'), err };
}

let tracker: HostileTracker;
let dir: string;
let file: string;
let trackers: string[];

before(async () => {
  tracker = await startHostileTracker();
  dir = mkdtempSync(join(tmpdir(), 'secrets-everywhere-'));
  const torrent = await privateTorrent(tracker);
  trackers = torrent.trackers;
  file = join(dir, 'private.torrent');
  writeFileSync(file, torrent.bytes);
});
after(async () => {
  await tracker?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the trackers answer as the test needs: failure reasons quoting the request, and a redirect carrying the passkey', async () => {
  const { out } = await run(announceCommand, [file, '--json', '--show-secrets', '--timeout', '3000', '--udp-retry', '200']);
  const results = JSON.parse(out).results as { tracker: string; status: string; error: string | null; attempts: { outcome: string }[] }[];
  assert.deepEqual(
    results.map((r) => r.status),
    ['tracker-error', 'working', 'tracker-error', 'tracker-error'],
  );
  assert.match(results[0].error!, new RegExp(`GET /echo-request/${PASSKEYS.pathSegment}/announce\\?zz=${PASSKEYS.query}&`));
  assert.match(results[1].attempts[0].outcome, new RegExp(`^HTTP 307 → /ok/${PASSKEYS.pathSegment}/announce\\?zz=${PASSKEYS.query}&`));
  assert.match(results[2].error!, new RegExp(`GET /echo-request/${PASSKEYS.generated}/announce\\?`));
  assert.equal(results[3].error, `unknown passkey in /${PASSKEYS.pathSegment}/announce?zz=${PASSKEYS.query}`);
});

describe('the CLI', () => {
  const timing = ['--timeout', '3000', '--udp-retry', '200'];
  for (const [name, command, args] of [
    ['show', showCommand, []],
    ['show --json', showCommand, ['--json']],
    ['announce', announceCommand, timing],
    ['announce --json', announceCommand, ['--json', ...timing]],
    ['scrape', scrapeCommand, timing],
    ['scrape --json', scrapeCommand, ['--json', ...timing]],
  ] as const) {
    test(`${name}: no passkey, unless --show-secrets`, async () => {
      const hidden = await run(command, [file, ...args]);
      assert.equal(hidden.err, '');
      assert.deepEqual(passkeysIn(hidden.out), [], hidden.out);
      assert.ok(hidden.out.includes('[redacted]'));
      const shown = await run(command, [file, ...args, '--show-secrets']);
      assert.deepEqual(passkeysIn(shown.out).sort(), secrets.map(([where]) => where).sort(), 'every passkey with --show-secrets');
    });
  }

  test('the comment that quotes a tracker URL, and the magnet link', async () => {
    const shown = JSON.parse((await run(showCommand, [file, '--json'])).out) as { comment: string; magnet: string; trackers: string[][] };
    assert.match(
      shown.comment,
      /^Announce at http:\/\/\[redacted\]@127\.0\.0\.1:\d+\/\[redacted\]\/\[redacted\]\/announce\?zz=\[redacted\] \(keep your passkey to yourself\)$/,
    );
    assert.deepEqual(passkeysIn(shown.magnet), []);
    assert.ok(shown.trackers.flat().every((url) => url.includes('[redacted]')));
  });

  test('an error that names a tracker given with --tracker hides its passkey too', async () => {
    const url = `gopher://alice:${PASSKEYS.userInfo}@127.0.0.1/${PASSKEYS.generated}/announce`;
    const { code, err } = await run(announceCommand, [file, '--tracker', url]);
    assert.equal(code, 2);
    assert.match(
      err,
      /^error: option '--tracker' gopher:\/\/\[redacted\]@127\.0\.0\.1\/\[redacted\]\/announce: unsupported tracker scheme "gopher:"\n$/,
    );
    assert.deepEqual(passkeysIn(err), []);
  });
});

describe('the results panel and the log', () => {
  for (const kind of ['announce', 'scrape'] as const) {
    test(`${kind}: rows, JSON, raw answers and log lines hide every passkey; shown when asked, without asking again`, async () => {
      const parsed = parseMetainfo(new Uint8Array(readFileSync(file)));
      assert.ok(parsed.ok);
      const metainfo = parsed.metainfo;
      let show = false;
      const settings = { ...trackerSettingsFrom(() => undefined), timeoutMs: 3000, udpRetryTimeoutMs: 200 };
      const panelRun = new TrackerRun(
        1,
        {
          kind,
          torrentUri: 'file:///private.torrent',
          fileName: 'private.torrent',
          metainfo,
          trackers: trackerTargets(metainfo.trackers),
          hashes: announceHashes(metainfo.infoHash),
          target: { all: true },
        },
        settings,
        () => show,
      );
      const events: TrackersHostEvent[] = [{ type: 'run', run: panelRun.view(), sentAt: Date.now() }];
      const log: string[] = [];
      await panelRun.start(
        (event) => events.push(event),
        (level, message) => log.push(`${level}: ${message}`),
      );
      const raws = () => panelRun.view().rows.map((row) => panelRun.raw(1, row.id));
      const everything = () =>
        [
          JSON.stringify(events),
          JSON.stringify(panelRun.view()),
          panelRun.json().text,
          JSON.stringify(raws()),
          // What the extension's log writes: each line through the torrent's secrets.
          log.map((line) => logLine(line, show, panelRun.secrets)).join('\n'),
        ].join('\n');
      assert.ok(log.length > trackers.length, 'the run logged its requests and answers');
      assert.deepEqual(passkeysIn(everything()), [], everything());
      assert.ok(
        panelRun.view().rows.some((row) => row.error?.includes('[redacted]')),
        'a failure reason quoting the request is redacted, not dropped',
      );

      show = true;
      assert.deepEqual(passkeysIn(panelRun.json().text).sort(), secrets.map(([where]) => where).sort(), 'every passkey when shown');
      assert.ok(passkeysIn(JSON.stringify(panelRun.view())).length > 0);
      show = false;
      assert.deepEqual(passkeysIn(JSON.stringify(panelRun.view()) + panelRun.json().text), [], 'hidden again');
    });
  }
});
