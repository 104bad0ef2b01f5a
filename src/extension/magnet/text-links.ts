// Magnet links and info hashes in any text file: a hover that says what one is (src/view-model/peers/hover.ts) and
// document links that open a magnet link, or a `urn:btih:`/`urn:btmh:` URN, in Torrent Lens. Bare hex hashes get
// the hover only: 40 hex digits are as often a Git commit, and underlining every one in a log would be noise.
import * as vscode from 'vscode';
import { findMentions, magnetForHash, mentionAt } from '../../core/magnet/scan';
import { HOVER_COMMANDS, mentionHover, OPEN_MAGNET_COMMAND } from '../../view-model/peers/hover';
import { showSecrets } from '../settings';

/** Documents longer than this are scanned for links in their first part only. */
const MAX_SCANNED_CHARS = 8 * 1024 * 1024;
/** Most links a document gets. */
const MAX_LINKS = 5_000;

export function registerTextLinks(): vscode.Disposable {
  // Every text document, whatever its language or file system.
  const selector: vscode.DocumentSelector = '*';
  return vscode.Disposable.from(
    vscode.languages.registerHoverProvider(selector, { provideHover }),
    vscode.languages.registerDocumentLinkProvider(selector, { provideDocumentLinks }),
  );
}

function provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
  const line = document.lineAt(position.line).text;
  const found = mentionAt(line, position.character);
  if (!found) return undefined;
  const { mention } = found;
  const markdown = new vscode.MarkdownString(mentionHover(mention, showSecrets()), true);
  // Only our own commands, and only with the arguments mentionHover made; no HTML.
  markdown.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
  markdown.supportHtml = false;
  return new vscode.Hover(markdown, new vscode.Range(position.line, mention.start, position.line, mention.end));
}

function provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
  const text = document.getText();
  const scanned = text.length > MAX_SCANNED_CHARS ? text.slice(0, MAX_SCANNED_CHARS) : text;
  const links: vscode.DocumentLink[] = [];
  for (const mention of findMentions(scanned, MAX_LINKS)) {
    let link: string;
    if (mention.kind === 'magnet') {
      if (!mention.parsed.ok) continue;
      link = mention.text;
    } else if (mention.form === 'urn') {
      link = magnetForHash(mention.infoHash);
    } else continue;
    const target = vscode.Uri.from({ scheme: 'command', path: OPEN_MAGNET_COMMAND, query: JSON.stringify([link]) });
    const documentLink = new vscode.DocumentLink(
      new vscode.Range(document.positionAt(mention.start), document.positionAt(mention.end)),
      target,
    );
    documentLink.tooltip = vscode.l10n.t('Open in Torrent Lens');
    links.push(documentLink);
  }
  return links;
}
