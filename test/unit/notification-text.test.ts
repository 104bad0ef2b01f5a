// Text from a torrent or a tracker in VS Code's notifications and quick picks: never a link, never an icon.
// The patterns are VS Code's own (vs/base/common/linkedText.ts for notifications, iconLabels.ts for icons),
// so that this checks what the workbench would parse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notification, notificationText, WORD_JOINER } from '../../src/view-model/notification-text';

/** VS Code's link syntax in notification messages (1.100, vs/base/common/linkedText.ts). */
const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
/** VS Code's icon syntax in labels (vs/base/browser/ui/iconLabel/iconLabels.ts), unescaped. */
const VSCODE_ICON = /(?<!\\)\$\([a-z0-9-]+(?:~[a-z]+)?\)/gi;

test('links and icons in text become plain text that reads the same', () => {
  for (const text of [
    '[Fix](command:workbench.action.terminal.new)',
    '[click](https://example.com/x "title")',
    '[a](file:///etc/passwd)',
    '$(alert) $(sync~spin) name',
    'a [b] (c) $ (d) [e]](command:x)',
  ]) {
    const shown = notificationText(text);
    assert.equal(shown.match(VSCODE_LINK), null, text);
    assert.equal(shown.match(VSCODE_ICON), null, text);
    assert.equal(shown.replaceAll(WORD_JOINER, ''), text, 'nothing else changes');
  }
  assert.equal(notificationText('plain text, (parentheses) and [brackets]'), 'plain text, (parentheses) and [brackets]');
});

test('the template tag escapes what is put in and keeps its own words', () => {
  const name = '[Fix](command:workbench.action.terminal.new) $(alert).torrent';
  const text = notification`$(warning) ${name} is not a valid torrent: ${'file tree entry "$(alert)"'}`;
  assert.ok(text.startsWith('$(warning) '), 'our own icon stays');
  assert.deepEqual(text.match(VSCODE_ICON), ['$(warning)']);
  assert.equal(text.match(VSCODE_LINK), null);
  assert.equal(text.replaceAll(WORD_JOINER, ''), `$(warning) ${name} is not a valid torrent: file tree entry "$(alert)"`);
});
