// The plan of Torrent: Replace Tracker URL in Torrents…: what each file becomes, the changes shown with secrets
// hidden, and a reason for every file left as it is (not a torrent, no match, a URL the replacement would break).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encode } from '../../src/core/bencode/decode';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import { planReplace, replaceTextProblem } from '../../src/view-model/edit/replace-trackers';

const INFO = { length: 70000, name: 'file.bin', 'piece length': 16384, pieces: new Uint8Array(100).fill(7) };
const OLD_KEY = '0123456789abcdef0123456789abcdef';
const NEW_KEY = 'fedcba9876543210fedcba9876543210';
const PRIVATE = `http://tracker.example/${OLD_KEY}/announce`;
const OTHER = 'udp://other.example:6969/announce';

function torrent(fields: Record<string, unknown>): Uint8Array {
  return encode({ ...fields, info: INFO });
}

test('a passkey replaced: every URL that holds it changes, once each in the preview, every other byte kept, secrets hidden', () => {
  const bytes = torrent({ announce: PRIVATE, 'announce-list': [[PRIVATE], [OTHER]], comment: 'kept' });
  const plan = planReplace(bytes, { find: OLD_KEY, replace: NEW_KEY, showSecrets: false });
  assert.equal(plan.status, 'change');
  if (plan.status !== 'change') return;
  // Both look the same redacted: the change says that only its hidden part changes.
  assert.deepEqual(plan.changes, [
    { before: 'http://tracker.example/[redacted]/announce', after: 'http://tracker.example/[redacted]/announce', hiddenPartOnly: true },
  ]);
  const after = parseMetainfo(plan.bytes);
  assert.ok(after.ok);
  const expected = PRIVATE.replace(OLD_KEY, NEW_KEY);
  assert.deepEqual(after.metainfo.trackers, [[expected], [OTHER]]);
  assert.equal(after.metainfo.comment?.text, 'kept');
  const before = parseMetainfo(bytes);
  assert.ok(before.ok);
  assert.equal(after.metainfo.infoHash.v1, before.metainfo.infoHash.v1, 'the same info hash');
  // Only the URLs' bytes changed: same length here, so everything else lines up.
  assert.equal(plan.bytes.length, bytes.length);
  const differing = [...bytes.keys()].filter((i) => bytes[i] !== plan.bytes[i]).length;
  assert.ok(differing <= 2 * OLD_KEY.length, `${differing} bytes differ`);
  // Shown: the whole URLs.
  const shown = planReplace(bytes, { find: OLD_KEY, replace: NEW_KEY, showSecrets: true });
  assert.ok(shown.status === 'change');
  assert.deepEqual(shown.changes, [{ before: PRIVATE, after: expected, hiddenPartOnly: false }]);
});

test('a domain replaced in a public torrent; files left as they are say why', () => {
  const bytes = torrent({ announce: OTHER, 'announce-list': [[OTHER], ['http://a.example/announce']] });
  const plan = planReplace(bytes, { find: 'other.example', replace: 'new.example', showSecrets: false });
  assert.ok(plan.status === 'change');
  assert.deepEqual(plan.changes, [{ before: OTHER, after: 'udp://new.example:6969/announce', hiddenPartOnly: false }]);

  assert.deepEqual(planReplace(bytes, { find: 'nowhere.example', replace: 'x', showSecrets: false }), {
    status: 'skip',
    reason: 'no tracker URL contains the text',
  });
  const broken = planReplace(bytes, { find: 'udp://', replace: 'ftp://', showSecrets: false });
  assert.equal(broken.status, 'skip', 'a URL the replacement breaks skips the file');
  assert.match(broken.status === 'skip' ? broken.reason : '', /ftp/);
  const html = new TextEncoder().encode('<html><body>not a torrent</body></html>');
  const notTorrent = planReplace(html, { find: 'a', replace: 'b', showSecrets: false });
  assert.equal(notTorrent.status, 'skip');
  assert.match(notTorrent.status === 'skip' ? notTorrent.reason : '', /^not a torrent/);
});

test('a secret in a reason is hidden too', () => {
  const bytes = torrent({ announce: PRIVATE, private: 1 });
  const plan = planReplace(bytes, { find: 'http://', replace: 'gopher://', showSecrets: false });
  assert.equal(plan.status, 'skip');
  if (plan.status === 'skip') assert.ok(!plan.reason.includes(OLD_KEY), plan.reason);
});

test('the text to find must be there, and neither holds control characters', () => {
  assert.match(replaceTextProblem('', 'find')!, /Type the text/);
  assert.equal(replaceTextProblem('', 'replace'), undefined, 'replacing with nothing removes the text');
  assert.match(replaceTextProblem('a\tb', 'replace')!, /control characters/);
  assert.equal(replaceTextProblem('tracker.example', 'find'), undefined);
});
