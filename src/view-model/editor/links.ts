// Web links in torrent text (a comment, a web seed) that the editor lets the user open. Only http and
// https: a torrent must not make VS Code run a command, open a file or hand a URL to another program.
import { REDACTED } from '../../core/privacy/redact';

/** Characters of a URL (RFC 3986); a link ends at the first other character. */
const URL_RUN = /\bhttps?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+/gi;
/** Punctuation that ends a sentence more often than a URL. */
const TRAILING = /[.,;:!?'"]+$/;

/** Whether `text` is an http or https URL with a host: a link the editor may open. */
export function isWebLink(text: string): boolean {
  if (text.includes(REDACTED)) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The web links in a text, `[start, end)` each, in order. A URL with a hidden secret is no link (it would not work). */
export function webLinks(text: string): [number, number][] {
  const links: [number, number][] = [];
  for (const match of text.matchAll(URL_RUN)) {
    let url = match[0].replace(TRAILING, '');
    // A closing parenthesis or bracket belongs to the URL only when the URL opened one: `(see https://x.org)`.
    while ((url.endsWith(')') && count(url, '(') < count(url, ')')) || (url.endsWith(']') && count(url, '[') < count(url, ']')))
      url = url.slice(0, -1).replace(TRAILING, '');
    if (isWebLink(url)) links.push([match.index, match.index + url.length]);
  }
  return links;
}

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}
