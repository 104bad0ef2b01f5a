// Smoke test of the UI in a real VS Code: the extension installed from its .vsix opens a corpus torrent
// from Quick Open in its own editor, and the webview shows the overview.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { commandLabel, corpus, corpusTruth, startWorkbench } from '../lib/harness.mjs';

const TORRENT = 'gen/lt-hybrid-multi.torrent';
/** @type {import('../lib/harness.mjs').Workbench | undefined} */
let workbench;

before(async () => {
  workbench = await startWorkbench({ name: 'ui-smoke', files: { 'hybrid.torrent': corpus(TORRENT) } });
});

after(async () => {
  await workbench?.close();
});

test('a torrent opened from Quick Open shows its overview in the Torrent Lens editor', async () => {
  const wb = /** @type {import('../lib/harness.mjs').Workbench} */ (workbench);
  await wb.quickOpen('hybrid.torrent');
  const frame = await wb.webviewFrame('#overview');
  const overview = frame.locator('#overview');
  await overview.waitFor({ state: 'visible' });
  await wb.screenshot('smoke-editor');
  await wb.webviewScreenshot('smoke-editor-webview');
  const text = await overview.innerText();
  assert.ok(text.includes(corpusTruth()[TORRENT].name), `overview does not show the name: ${text.slice(0, 300)}`);
  assert.deepEqual(wb.dialogs, []);
});

test('Copy Info Hash from the command palette puts the v1 info hash on the clipboard', async () => {
  const wb = /** @type {import('../lib/harness.mjs').Workbench} */ (workbench);
  await wb.quickOpen('hybrid.torrent');
  await (await wb.webviewFrame('#overview')).locator('#overview').waitFor({ state: 'visible' });
  await wb.page.evaluate(() => navigator.clipboard.writeText('clipboard-marker'));
  await wb.runCommand(commandLabel('torrentLens.copyInfoHash'));
  const copied = await wb.clipboardChange('clipboard-marker');
  assert.equal(copied, corpusTruth()[TORRENT].infoHashV1);
});
