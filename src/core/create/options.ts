// The checks of what a new torrent is made with, in one place for createTorrent, the command line and the
// create form (whose host checks each field as the user types): tracker and web seed URLs, sizes such as
// a piece length written `512K`, and the torrent's name.

import { unsupportedReason } from '../tracker/url';

/** Why `url` cannot be a tracker of a new torrent (http, https, udp, ws or wss, with a host), or undefined. */
export function trackerUrlProblem(url: string): string | undefined {
  if (url === '') return 'a tracker URL cannot be empty';
  if (url.trim() !== url) return 'a tracker URL cannot start or end with spaces';
  const reason = unsupportedReason(url);
  if (reason) return `${reason} (tracker URLs start with http://, https://, udp://, ws:// or wss://)`;
  return undefined;
}

/** Why `url` cannot be a web seed (BEP 19: an http or https URL with a host), or undefined. */
export function webSeedUrlProblem(url: string): string | undefined {
  if (url === '') return 'a web seed URL cannot be empty';
  if (url.trim() !== url) return 'a web seed URL cannot start or end with spaces';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a valid URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'a web seed URL starts with http:// or https:// (BEP 19)';
  if (!parsed.hostname) return 'the URL has no host';
  return undefined;
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1 << 20, mb: 1 << 20, mib: 1 << 20 };

/** A size as people write it: `16384`, `512K`, `512 KiB`, `4M`, `4 MiB` (K and M are 1024-based, as for piece lengths). */
export function parseSize(text: string): number | undefined {
  const match = /^\s*(\d{1,12})\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = UNITS[match[2].toLowerCase()];
  return unit === undefined ? undefined : Number(match[1]) * unit;
}

/** Why `name` cannot be a torrent's name (it names the top folder or the file), or undefined. */
export function nameProblem(name: string): string | undefined {
  if (name === '' || name === '.' || name === '..' || /[/\0]/.test(name))
    return `${JSON.stringify(name)} cannot be a torrent's name: it must be a file or folder name, without '/'`;
  return undefined;
}
