// What the extension host shows through VS Code (notifications, pickers, input boxes, dialogs, progress, the
// status bar, panel titles) is worded through `vscode.l10n.t`, so it can be translated: no such text is a bare
// string or template literal in src/extension.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../support/corpus';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** A call or an option whose text VS Code shows, directly given a literal: `showErrorMessage('…'`, `title: \`…\``. */
const SHOWN_LITERAL =
  /\b(?:show(?:Error|Warning|Information)Message|setStatusBarMessage|createWebviewPanel\([^,]+,)\s*\(?\s*['"`]|\b(?:title|placeHolder|prompt|openLabel|saveLabel|detail|tooltip)\s*[:=]\s*['"`]|filters:\s*\{\s*\w+\s*:/g;

test('l10n: text the extension host shows goes through vscode.l10n.t', () => {
  const files = sourceFiles(path.join(repoRoot, 'src', 'extension'));
  assert.ok(files.length > 10, `found ${files.length} files`);
  const bare: string[] = [];
  for (const file of files) {
    // Comments may quote such text; they are blanked, keeping line numbers.
    const text = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '))
      .replace(/^\s*\/\/.*$/gm, '');
    for (const match of text.matchAll(SHOWN_LITERAL)) {
      const line = text.slice(0, match.index).split('\n').length;
      bare.push(`${path.relative(repoRoot, file)}:${line}: ${match[0]}`);
    }
  }
  assert.deepEqual(bare, []);
});
