// The extension's manifest: every string VS Code shows from it is localisable (a `%key%` of package.nls.json),
// and what it declares for Restricted Mode and virtual workspaces holds together with the settings and menus.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../support/corpus';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the manifest, read field by field in asserts
const manifest: Record<string, any> = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const nls: Record<string, string> = JSON.parse(readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8'));

/** The fields VS Code shows to people, wherever they are in contributes and capabilities. */
const SHOWN_FIELDS = new Set(['title', 'category', 'description', 'markdownDescription', 'displayName', 'enumDescriptions', 'label']);

/** Every string under `value` with the path that leads to it. */
function* strings(value: unknown, at: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [at, value];
  else if (Array.isArray(value)) for (const [i, item] of value.entries()) yield* strings(item, `${at}[${i}]`);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* strings(v, `${at}.${k}`);
}

const shownStrings = [...strings(manifest.contributes, 'contributes'), ...strings(manifest.capabilities, 'capabilities')].filter(([at]) =>
  at.split('.').some((part) => SHOWN_FIELDS.has(part.replace(/\[\d+\]$/, ''))),
);

test('manifest: every title, category, description and display name is a key of package.nls.json', () => {
  assert.ok(shownStrings.length > 40, `found ${shownStrings.length}`);
  for (const [at, text] of shownStrings) {
    const key = /^%([\w.-]+)%$/.exec(text)?.[1];
    assert.ok(key, `${at} is a bare literal: ${text}`);
    assert.equal(typeof nls[key], 'string', `${at}: ${key} is missing from package.nls.json`);
    assert.notEqual(nls[key].trim(), '', key);
  }
});

test('manifest: every key of package.nls.json is used, and every %key% in package.json is in it', () => {
  const used = new Set([...strings(manifest, '')].flatMap(([, text]) => [...text.matchAll(/%([\w.-]+)%/g)].map((m) => m[1])));
  for (const key of used) assert.ok(key in nls, `${key} is missing from package.nls.json`);
  for (const key of Object.keys(nls)) assert.ok(used.has(key), `${key} of package.nls.json is not used`);
});

test('manifest: in Restricted Mode the settings a hostile workspace could abuse come from the user only', () => {
  const untrusted = manifest.capabilities.untrustedWorkspaces;
  assert.equal(untrusted.supported, 'limited');
  const restricted: string[] = untrusted.restrictedConfigurations;
  const declared = Object.keys(manifest.contributes.configuration.properties);
  for (const setting of restricted) assert.ok(declared.includes(setting), `${setting} is not a setting`);
  for (const setting of [
    'torrentLens.privacy.showSecrets',
    'torrentLens.announce.confirm',
    'torrentLens.http.userAgent',
    'torrentLens.announce.port',
    'torrentLens.announce.event',
  ])
    assert.ok(restricted.includes(setting), `${setting} is restricted`);
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  for (const setting of restricted) assert.ok(readme.includes(`\`${setting}\``), `README names ${setting}`);
});

test('manifest: commands that hash local files are not offered in virtual workspaces', () => {
  assert.equal(manifest.capabilities.virtualWorkspaces.supported, 'limited');
  const local = ['torrentLens.createTorrent', 'torrentLens.verifyData'];
  const menus: Record<string, { command: string; when?: string }[]> = manifest.contributes.menus;
  for (const command of local) {
    assert.ok(
      menus.commandPalette.some((item) => item.command === command && item.when?.includes('!virtualWorkspace')),
      `${command} is hidden from the palette in virtual workspaces`,
    );
    for (const [menu, items] of Object.entries(menus))
      for (const item of items.filter((i) => i.command === command))
        assert.match(item.when ?? '', /resourceScheme == file|!virtualWorkspace/, `${menu}: ${command}`);
  }
});
