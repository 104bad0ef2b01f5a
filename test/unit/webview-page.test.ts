// The one webview page template: its policy, its two scripts, and nothing from its inputs that can
// break out of an attribute or the title.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy, isPageLoadFailed, PAGE_LOAD_FAILURE_REPORT, webviewPageHtml } from '../../src/shared/webview-page';

const parts = {
  nonce: 'bm9uY2Utbm9uY2Utbm9uY2U=',
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/editor.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/editor-style.css',
  title: 'lab.torrent',
};

test('the policy allows our files and scripts with the nonce, and nothing else', () => {
  assert.equal(
    contentSecurityPolicy(parts.cspSource, parts.nonce),
    "default-src 'none'; style-src https://file+.vscode-resource.vscode-cdn.net; font-src https://file+.vscode-resource.vscode-cdn.net; " +
      "img-src https://file+.vscode-resource.vscode-cdn.net data:; script-src 'nonce-bm9uY2Utbm9uY2Utbm9uY2U='",
  );
});

test('the page: the policy first, our stylesheet, and two scripts, both with the nonce', () => {
  const html = webviewPageHtml(parts);
  const head = html.slice(html.indexOf('<head>'), html.indexOf('</head>'));
  assert.ok(head.indexOf('http-equiv="Content-Security-Policy"') < head.indexOf('<link'), 'the policy comes before anything it governs');
  assert.ok(head.includes(`<link rel="stylesheet" href="${parts.styleUri}">`));
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  assert.deepEqual(scripts, [`<script nonce="${parts.nonce}">`, `<script nonce="${parts.nonce}" src="${parts.scriptUri}">`]);
  assert.ok(html.includes(`>${PAGE_LOAD_FAILURE_REPORT}</script>`));
  assert.ok(html.includes('<div id="app" role="application"></div>'));
  assert.equal((html.match(/<style|\sstyle=|\son\w+=/g) ?? []).length, 0, 'no inline style, no inline handler');
});

test('a hostile title or URI stays inside its attribute or element', () => {
  const html = webviewPageHtml({
    ...parts,
    title: '</title><script>alert(1)</script>',
    scriptUri: 'x" onload="alert(1)',
    styleUri: "y' onerror='alert(1)",
  });
  assert.equal((html.match(/<script\b/g) ?? []).length, 2);
  assert.ok(html.includes('<title>&#60;/title&#62;&#60;script&#62;alert(1)&#60;/script&#62;</title>'));
  assert.ok(html.includes('src="x&#34; onload=&#34;alert(1)"'));
  assert.ok(html.includes('href="y&#39; onerror=&#39;alert(1)"'));
});

test('only the page-load report is taken for one', () => {
  assert.equal(isPageLoadFailed({ pageLoadFailed: true }), true);
  for (const other of [null, undefined, 1, 'pageLoadFailed', { pageLoadFailed: 'true' }, { kind: 'request', id: 1 }]) {
    assert.equal(isPageLoadFailed(other), false, JSON.stringify(other));
  }
});
