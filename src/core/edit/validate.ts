// Checks of what an edit writes into a torrent: a tracker URL must parse and use a scheme clients announce over
// (http, https, udp, ws, wss); a web seed must be an http(s) URL; a name must be able to name a file. Each check
// returns why a value is refused, or undefined when it is fine, so a form can show the reason as the user types.

import { unsupportedReason } from '../tracker/url';

/** Whitespace around a URL (Transmission then ignores the tracker) or control characters inside it. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const BAD_CHARACTERS = /^\s|\s$|[\0-\x1f\x7f]/;

/** Why `url` cannot be a tracker, or undefined when it can. */
export function trackerUrlProblem(url: string): string | undefined {
  if (url === '') return 'the URL is empty';
  if (BAD_CHARACTERS.test(url)) return 'the URL has whitespace around it or control characters in it';
  return unsupportedReason(url);
}

/** Why `url` cannot be a web seed (BEP 19 `url-list`, BEP 17 `httpseeds`), or undefined when it can. */
export function webSeedUrlProblem(url: string): string | undefined {
  if (url === '') return 'the URL is empty';
  if (BAD_CHARACTERS.test(url)) return 'the URL has whitespace around it or control characters in it';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1].toLowerCase();
  if (!scheme) return 'not a URL (no scheme)';
  if (scheme !== 'http' && scheme !== 'https') return `clients download web seeds over http or https, not "${scheme}:"`;
  try {
    if (!new URL(url).hostname) return 'the URL has no host';
  } catch {
    return 'not a valid URL';
  }
  return undefined;
}

/** Why `name` cannot be a torrent's name (it names the file or folder a client writes), or undefined when it can. */
export function torrentNameProblem(name: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (name === '' || name === '.' || name === '..' || /[/\\\0-\x1f\x7f]/.test(name)) {
    return "it names a file or folder, so it cannot be empty, '.', '..', or hold a slash or control characters";
  }
  return undefined;
}
