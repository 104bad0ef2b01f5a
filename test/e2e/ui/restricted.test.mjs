// Restricted Mode: a workspace that has not been trusted cannot turn on what the manifest restricts. Its
// .vscode/settings.json asks to show secrets and to announce without asking; the passkey of a private
// torrent stays hidden all the same, because VS Code gives restricted settings from the user's settings only.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openTorrent } from '../lib/editor.mjs';
import { startWorkbench } from '../lib/harness.mjs';
import { importSource } from '../lib/torrents.mjs';

const PASSKEY = '0123456789abcdef0123456789abcdef';
const TRACKER = `http://tracker.example:8080/${PASSKEY}/announce`;

/** @type {import('../lib/harness.mjs').Workbench} */
let wb;
let scratch = '';

before(async () => {
  const { encode } = await importSource('src/core/bencode/decode.ts');
  scratch = mkdtempSync(join(tmpdir(), 'torrent-lens-ui-restricted-'));
  writeFileSync(
    join(scratch, 'private.torrent'),
    encode({
      announce: TRACKER,
      info: { name: 'private-payload', 'piece length': 16_384, private: 1, pieces: Buffer.alloc(20, 7), length: 1000 },
    }),
  );
  writeFileSync(
    join(scratch, 'settings.json'),
    JSON.stringify({ 'torrentLens.privacy.showSecrets': true, 'torrentLens.announce.confirm': false }),
  );
  wb = await startWorkbench({
    name: 'ui-restricted',
    restricted: true,
    files: { 'private.torrent': join(scratch, 'private.torrent'), '.vscode/settings.json': join(scratch, 'settings.json') },
  });
});

after(async () => {
  await wb?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('in Restricted Mode a workspace cannot show a private torrent’s passkey', async () => {
  // The workbench says it is in Restricted Mode: the workspace was not trusted.
  await wb.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
  const frame = await openTorrent(wb, 'private.torrent');
  await frame.locator('#overview').waitFor();
  const mark = `before the copy ${Date.now()}`;
  await wb.page.evaluate((text) => navigator.clipboard.writeText(text), mark);
  await frame.locator('.toolbar [data-action=copy-magnet]').click();
  const magnet = await wb.clipboardChange(mark);
  assert.ok(magnet.startsWith('magnet:?'), magnet);
  assert.ok(!magnet.includes(PASSKEY), `the passkey stays hidden: ${magnet}`);
  assert.ok(!(await frame.locator('body').innerText()).includes(PASSKEY), 'the editor does not show it either');
  await wb.screenshot('restricted-mode');
});
