// A log line about a torrent hides that torrent's secrets (its private rule, every value learned); one
// about no torrent hides what the rule for any torrent finds; shown as it is when the user shows secrets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Secrets } from '../../src/core/privacy/secrets';
import { logLine } from '../../src/view-model/log-line';

const url = 'http://tracker.example/a1B2c3D4/announce?zz=Zq7Wv3Rt8Yp';

test('through the torrent’s secrets: a private tracker’s short passkeys, wherever they are quoted', () => {
  const secrets = Secrets.forTorrent({ trackers: [[url]], private: true });
  const line = `announce to ${url}: failure reason: unknown passkey a1B2c3D4 in "GET /a1B2c3D4/announce?zz=Zq7Wv3Rt8Yp HTTP/1.1"`;
  const written = logLine(line, false, secrets);
  assert.ok(!written.includes('a1B2c3D4') && !written.includes('Zq7Wv3Rt8Yp'), written);
  assert.equal(logLine(line, true, secrets), line, 'as it is when secrets are shown');
  // Without the torrent, the rule for any torrent: it cannot know these short values are secret.
  assert.ok(logLine(line, false).includes('a1B2c3D4'));
  assert.equal(logLine('GET http://user:pw@tracker.example/announce', false), 'GET http://[redacted]@tracker.example/announce');
});
