// The HTML of every webview page of ours, and the only place that writes it: a strict Content Security
// Policy with a nonce per page, our bundled stylesheet and script, a one-line report of a failed script
// load, and nothing else. A pure function of its inputs, so that the extension and the test harnesses
// that load the real bundles in Chromium serve the very same page and policy.
// Torrent and tracker text never enters this HTML; the webview script renders it as DOM text.

export interface WebviewPageParts {
  /** Fresh for every page (base64 or hex): only scripts carrying it run. */
  nonce: string;
  /** The origin our files are served from (`webview.cspSource` in VS Code). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  title: string;
}

/** What the page posts to the host when our script fails to load (see `PAGE_LOAD_FAILURE_REPORT`). */
export interface PageLoadFailed {
  pageLoadFailed: true;
}

export function isPageLoadFailed(message: unknown): message is PageLoadFailed {
  return (message as Partial<PageLoadFailed> | null)?.pageLoadFailed === true;
}

/**
 * Tells the host when our script fails to load, so it can load the page again. Only then may this claim
 * VS Code's webview API, which a page gets once: the script that would have claimed it never ran.
 */
export const PAGE_LOAD_FAILURE_REPORT =
  "addEventListener('error', (e) => { if (e.target instanceof HTMLScriptElement) acquireVsCodeApi().postMessage({ pageLoadFailed: true }); }, true);";

/** Nothing but our own files, fonts from them, images from them or inline data, and scripts with the nonce. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function webviewPageHtml(page: WebviewPageParts): string {
  const nonce = escapeAttribute(page.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(page.cspSource, page.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(page.styleUri)}">
<title>${escapeAttribute(page.title)}</title>
</head>
<body>
<div id="app" role="application"></div>
<script nonce="${nonce}">${PAGE_LOAD_FAILURE_REPORT}</script>
<script nonce="${nonce}" src="${escapeAttribute(page.scriptUri)}"></script>
</body>
</html>`;
}

/** Safe both in an attribute value and in element text. */
function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
