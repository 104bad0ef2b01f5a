// `torrent-lens peers`: bad input and usage end with exit code 2 and one line naming the problem, before any
// peer or tracker is contacted.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { peersCommand } from '../../src/cli/commands/peers';
import { corpusRoot } from '../support/corpus';
import { runCommand } from '../support/cli-command';

test('cli peers: a file that is no torrent, a broken link, and a torrent with nobody to ask', async () => {
  for (const [argv, words] of [
    [[join(corpusRoot, 'bad', 'html-page.torrent')], /^error: .*html-page\.torrent: /],
    [[join(corpusRoot, 'nowhere.torrent')], /nowhere\.torrent: no such file/],
    [['magnet:?xt=urn:btih:xyz'], /^error: xt: the v1 info hash "xyz"/],
    [['magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a'], /the link names no trackers and no peers/],
    [
      [join(corpusRoot, 'gen', 'lt-v1-dht-nodes.torrent')],
      /lt-v1-dht-nodes\.torrent: no trackers to ask: give peers with --peer HOST:PORT/,
    ],
    [[join(corpusRoot, 'gen', 'lt-v1-tiers.torrent'), '--no-trackers'], /no trackers to ask: give peers with --peer/],
    [[join(corpusRoot, 'gen', 'lt-v1-tiers.torrent'), '--peer', '[::1]'], /option '--peer': "\[::1\]" is not an address and port/],
  ] as const) {
    const run = await runCommand(peersCommand, [...argv]);
    assert.equal(run.code, 2, `${argv.join(' ')}: ${run.err}`);
    assert.match(run.err, words, argv.join(' '));
    assert.equal(run.out, '');
  }
});
