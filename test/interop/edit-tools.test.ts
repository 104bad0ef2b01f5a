// `torrent-lens edit` against the reference tools: after every kind of edit, libtorrent (Debian's python3-libtorrent)
// and transmission-show load the result and read the expected trackers, web seeds, comment, creator, date and
// private flag, and the info hash they read before (or, for the edits that change it, the one edit reported).
// Non-canonical torrents keep their hash through our edits; transmission-edit and parse-torrent re-encode the
// file and change it.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import parseTorrent, { toTorrentFile } from 'parse-torrent';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import { cliPath, corpusRoot, loadTruth } from '../support/corpus';
import { PYTHON } from '../support/libtorrent';

const INFO_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'support', 'libtorrent-info.py');

/** What a tool reads from a torrent. */
interface View {
  v1: string | null;
  v2: string | null;
  trackers: string[][];
  webSeeds: string[];
  comment: string;
  creator: string;
  creationDate: number;
  private: boolean;
}

/** libtorrent's reading of each file, in one python process. */
function libtorrent(files: string[]): View[] {
  const run = spawnSync(PYTHON, [INFO_SCRIPT, ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout
    .trim()
    .split('\n')
    .map((line, i) => {
      const json = JSON.parse(line) as View & { ok: boolean; error?: string; httpSeeds: string[]; name: string; file: string };
      assert.ok(json.ok, `libtorrent refuses ${files[i]}: ${json.error}`);
      return {
        v1: json.v1,
        v2: json.v2,
        trackers: json.trackers,
        webSeeds: json.webSeeds,
        comment: json.comment,
        creator: json.creator,
        creationDate: json.creationDate,
        private: json.private,
      };
    });
}

/** transmission-show's reading (hash v1, trackers by tier, web seeds, comment, creator, privacy), or undefined when it refuses the file. */
function transmission(file: string): View | undefined {
  const run = spawnSync('transmission-show', [file], { encoding: 'utf8' });
  if (run.status !== 0) return undefined;
  const view: View = { v1: null, v2: null, trackers: [], webSeeds: [], comment: '', creator: '', creationDate: 0, private: false };
  let section = '';
  for (const line of run.stdout.split('\n')) {
    if (/^[A-Z]+$/.test(line)) {
      section = line;
      continue;
    }
    const text = line.trim();
    if (text === '') continue;
    if (section === 'GENERAL') {
      const [, key, value] = /^([^:]+): (.*)$/.exec(text) ?? [];
      if (key === 'Hash') view.v1 = value;
      else if (key === 'Comment') view.comment = value;
      else if (key === 'Created by') view.creator = value;
      else if (key === 'Privacy') view.private = value === 'Private torrent';
    } else if (section === 'TRACKERS') {
      if (/^Tier #\d+$/.test(text)) view.trackers.push([]);
      else view.trackers.at(-1)!.push(text);
    } else if (section === 'WEBSEEDS') {
      view.webSeeds.push(text);
    }
  }
  return view;
}

interface EditReport {
  status: string;
  infoHash: { before: { v1: string | null; v2: string | null }; after: { v1: string | null; v2: string | null } };
  infoHashChanged: boolean;
}

function edit(file: string, out: string, args: string[]): EditReport {
  const run = spawnSync(process.execPath, [cliPath, 'edit', file, '-o', out, '--json', '--show-secrets', ...args], { encoding: 'utf8' });
  assert.equal(run.status, 0, `edit ${args.join(' ')}: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { files: EditReport[] }).files[0];
}

const NEW_TRACKER = 'udp://tracker.example:6969/announce';
const NEW_SEED = 'https://seed.example/data/';
const COMMENT = 'Edited comment — ünïcode ✓';

const replaceFirst = (url: string, find: string, by: string) => (url.includes(find) ? url.replace(find, () => by) : url);

/**
 * Each kind of edit: its arguments, from the torrent as Torrent Lens reads it (`file`: trackers in file order), and
 * what a tool must read afterwards, from what that tool read before (`seen`: libtorrent and Transmission shuffle the
 * trackers of a tier, and Transmission 3.00 skips WebSocket trackers).
 */
const CASES: { name: string; args(file: View): string[] | undefined; expect(seen: View, file: View): Partial<View>; newHash?: boolean }[] =
  [
    {
      name: 'add a tracker in a tier of its own',
      args: () => ['--add-tracker', NEW_TRACKER],
      expect: (v) => ({ trackers: [...v.trackers, [NEW_TRACKER]] }),
    },
    {
      name: 'add a tracker to tier 1',
      args: (f) => (f.trackers.length > 0 ? ['--add-tracker', NEW_TRACKER, '--tier', '1'] : undefined),
      expect: (v) => ({ trackers: [[...v.trackers[0], NEW_TRACKER], ...v.trackers.slice(1)] }),
    },
    {
      name: 'remove the first tracker',
      args: (f) => (f.trackers.length > 0 ? ['--remove-tracker', f.trackers[0][0]] : undefined),
      expect: (v, f) => ({
        trackers: v.trackers.map((tier) => tier.filter((url) => url !== f.trackers[0][0])).filter((tier) => tier.length > 0),
      }),
    },
    {
      name: 'replace text in the tracker URLs',
      args: () => ['--replace-tracker', '127.0.0.1', 'tracker.example'],
      expect: (v) => ({ trackers: v.trackers.map((tier) => tier.map((url) => replaceFirst(url, '127.0.0.1', 'tracker.example'))) }),
    },
    { name: 'add a web seed', args: () => ['--add-web-seed', NEW_SEED], expect: (v) => ({ webSeeds: [...v.webSeeds, NEW_SEED] }) },
    {
      name: 'remove a web seed',
      args: (f) => (f.webSeeds.length > 0 ? ['--remove-web-seed', f.webSeeds[0]] : undefined),
      expect: (v, f) => ({ webSeeds: v.webSeeds.filter((url) => url !== f.webSeeds[0]) }),
    },
    { name: 'set the comment', args: () => ['--comment', COMMENT], expect: () => ({ comment: COMMENT }) },
    { name: 'remove the comment', args: () => ['--no-comment'], expect: () => ({ comment: '' }) },
    { name: "set 'created by'", args: () => ['--created-by', 'Torrent Lens (edit)'], expect: () => ({ creator: 'Torrent Lens (edit)' }) },
    { name: 'set the creation date', args: () => ['--creation-date', '2030-01-01'], expect: () => ({ creationDate: 1_893_456_000 }) },
    {
      name: 'flip the private flag',
      args: (f) => [f.private ? '--public' : '--private', '--new-hash'],
      expect: (v) => ({ private: !v.private }),
      newHash: true,
    },
    { name: 'set the source', args: () => ['--source', 'CROSS-SEED', '--new-hash'], expect: () => ({}), newHash: true },
  ];

/** A torrent as Torrent Lens reads it, in file order. */
function ours(file: string): View {
  const result = parseMetainfo(new Uint8Array(readFileSync(file)));
  if (!result.ok) assert.fail(result.failure.message);
  const m = result.metainfo;
  return {
    v1: m.infoHash.v1 ?? null,
    v2: m.infoHash.v2 ?? null,
    trackers: m.trackers,
    webSeeds: m.webSeeds,
    comment: m.comment?.text ?? '',
    creator: m.createdBy?.text ?? '',
    creationDate: m.creationDate ?? 0,
    private: m.private,
  };
}

/** A tool's view with each tier's trackers sorted, for views of tools that shuffle them. */
const unshuffled = (view: View): View => ({ ...view, trackers: view.trackers.map((tier) => [...tier].sort()) });

const TORRENTS = [
  'transmission-private-3trackers.torrent',
  'mktorrent-tiers-webseeds.torrent',
  'lt-v1-tiers.torrent',
  'lt-v1-webseeds.torrent',
  'lt-hybrid-multi.torrent',
  'lt-v2-only-single.torrent',
  'hand-url-list-string.torrent',
  'hand-noncanonical-unsorted-keys.torrent',
  'hand-noncanonical-file-dicts.torrent',
];

describe('torrent-lens edit, read back by libtorrent and transmission-show', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'torrent-lens-edit-interop-'));
  const sources = TORRENTS.map((name) => path.join(corpusRoot, 'gen', name));
  let originals: View[];
  before(() => {
    originals = libtorrent(sources);
  });
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));

  for (const [t, name] of TORRENTS.entries()) {
    test(name, () => {
      const file = ours(sources[t]);
      const seenByLibtorrent = originals[t];
      assert.deepEqual(unshuffled(seenByLibtorrent), unshuffled(file), 'libtorrent reads the original as we do');
      // Transmission 3.00 refuses v2-only torrents and libtorrent's hybrids (BEP 52 came with Transmission 4).
      const seenByTransmission = transmission(sources[t]);
      const outputs: { out: string; kind: (typeof CASES)[number]; report: EditReport }[] = [];
      for (const [c, kind] of CASES.entries()) {
        const args = kind.args(file);
        if (!args) continue;
        const out = path.join(dir, `${t}-${c}.torrent`);
        const report = edit(sources[t], out, args);
        assert.equal(report.infoHashChanged, kind.newHash === true, kind.name);
        outputs.push({ out, kind, report });
      }
      const views = libtorrent(outputs.map((o) => o.out));
      for (const [i, { out, kind, report }] of outputs.entries()) {
        const newHash = kind.newHash ? { v1: report.infoHash.after.v1, v2: report.infoHash.after.v2 } : {};
        const expected: View = { ...seenByLibtorrent, ...kind.expect(seenByLibtorrent, file), ...newHash };
        assert.deepEqual(unshuffled(views[i]), unshuffled(expected), `libtorrent, ${kind.name}`);
        if (!seenByTransmission) continue;
        const seen = transmission(out);
        assert.ok(seen, `transmission-show reads the result of ${kind.name}`);
        const expectedByTransmission = { ...seenByTransmission, ...kind.expect(seenByTransmission, file) };
        for (const key of ['trackers', 'webSeeds', 'comment', 'creator', 'private'] as const) {
          assert.deepEqual(unshuffled(seen)[key], unshuffled(expectedByTransmission)[key], `transmission-show ${key}, ${kind.name}`);
        }
        // Transmission hashes a re-encoding of the info dictionary: for a canonical one that is our hash, for a
        // non-canonical one it is its own, the same before and after an edit that leaves the info bytes alone.
        if (!kind.newHash) assert.equal(seen.v1, seenByTransmission.v1, `transmission-show hash, ${kind.name}`);
        else if (seenByTransmission.v1 === file.v1) assert.equal(seen.v1, report.infoHash.after.v1, `transmission-show hash, ${kind.name}`);
        else assert.notEqual(seen.v1, seenByTransmission.v1, `transmission-show hash, ${kind.name}`);
      }
    });
  }
});

describe('non-canonical torrents: our edit keeps the info hash, transmission-edit and parse-torrent change it', () => {
  const truth = new Map(loadTruth());
  for (const name of ['hand-noncanonical-unsorted-keys.torrent', 'hand-noncanonical-file-dicts.torrent']) {
    test(name, async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'torrent-lens-edit-noncanonical-'));
      try {
        const expected = truth.get(`gen/${name}`)!;
        assert.equal(expected.infoIsCanonical, false);
        const ours = path.join(dir, 'ours.torrent');
        const theirs = path.join(dir, 'transmission-edit.torrent');
        const npm = path.join(dir, 'parse-torrent.torrent');
        copyFileSync(path.join(corpusRoot, 'gen', name), ours);
        copyFileSync(path.join(corpusRoot, 'gen', name), theirs);
        const run = spawnSync(process.execPath, [cliPath, 'edit', ours, '--in-place', '--add-tracker', NEW_TRACKER], { encoding: 'utf8' });
        assert.equal(run.status, 0, run.stderr);
        const edited = spawnSync('transmission-edit', ['-a', NEW_TRACKER, theirs], { encoding: 'utf8' });
        assert.equal(edited.status, 0, edited.stderr);
        // parse-torrent: read, add the tracker, write the file again, as a tool built on it does.
        const parsed = await parseTorrent(readFileSync(path.join(corpusRoot, 'gen', name)));
        parsed.announce.push(NEW_TRACKER);
        writeFileSync(npm, toTorrentFile(parsed));
        const [oursView, theirsView, npmView] = libtorrent([ours, theirs, npm]);
        for (const view of [oursView, theirsView, npmView])
          assert.deepEqual(view.trackers.flat().at(-1), NEW_TRACKER, 'each added the tracker');
        assert.equal(oursView.v1, expected.infoHashV1, 'ours keeps the info hash');
        assert.equal(theirsView.v1, expected.sha1OfReencodedInfo, 'transmission-edit re-encodes the info dictionary: another swarm');
        assert.notEqual(theirsView.v1, expected.infoHashV1);
        assert.notEqual(npmView.v1, expected.infoHashV1, 'parse-torrent re-encodes it too');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
