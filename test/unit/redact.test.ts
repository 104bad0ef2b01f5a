import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasSecret, redactText, redactUrl } from '../../src/core/privacy/redact';

test('hides passkeys in the path, the query and the user-info part', () => {
  assert.equal(
    redactUrl('https://tracker.example/0123456789abcdef0123456789abcdef/announce'),
    'https://tracker.example/[redacted]/announce',
  );
  assert.equal(redactUrl('http://t.example:2710/a7Kx9Qz2Lm4Np8Rt/announce'), 'http://t.example:2710/[redacted]/announce');
  assert.equal(redactUrl('http://t.example/announce.php?passkey=abc&x=1'), 'http://t.example/announce.php?passkey=[redacted]&x=1');
  assert.equal(redactUrl('http://t.example/announce?uid=42&auth=f00'), 'http://t.example/announce?uid=[redacted]&auth=[redacted]');
  assert.equal(redactUrl('http://user:secret@t.example/announce'), 'http://[redacted]@t.example/announce');
  assert.equal(redactUrl('udp://t.example:6969/0123456789abcdef0123/announce'), 'udp://t.example:6969/[redacted]/announce');
});

test('keeps ordinary URLs and the public announce parameters as they are', () => {
  for (const url of [
    'http://tracker.opentrackr.org:1337/announce',
    'udp://open.demonii.com:1337/announce',
    'http://127.0.0.1:6969/announce',
    'https://example.com/some-long-readable-path/announce',
  ]) {
    assert.equal(redactUrl(url), url);
    assert.equal(hasSecret(url), false);
  }
  const request =
    'http://t.example/announce?info_hash=%12%AB%CD%EF0123456789%00%01%02%03%04%05%06%07%08&peer_id=-TL0100-a1b2c3d4e5f6&port=6881&left=0&event=started';
  assert.equal(redactUrl(request), request);
  assert.equal(
    redactUrl('http://t.example/0123456789abcdef0123456789abcdef/announce?info_hash=%12%34&key=1A2B3C4D'),
    'http://t.example/[redacted]/announce?info_hash=%12%34&key=[redacted]',
  );
});

test('redacts every URL inside free text', () => {
  assert.equal(
    redactText('GET http://t.example/announce?passkey=s3cr3t failed; retry udp://u.example:80/0123456789abcdef0123 later'),
    'GET http://t.example/announce?passkey=[redacted] failed; retry udp://u.example:80/[redacted] later',
  );
});
