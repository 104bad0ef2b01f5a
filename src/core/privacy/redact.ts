// Private trackers put a per-user secret (passkey) into the announce URL: in the path, the query, or
// the user-info part. Anyone who sees it can announce as that user, so we hide it wherever a URL is
// shown or logged, unless the user asks to see secrets.

export const REDACTED = '[redacted]';

/** Query parameters that private trackers use for secrets. */
const SECRET_PARAMS = new Set([
  'passkey',
  'pk',
  'authkey',
  'auth',
  'torrent_pass',
  'torrentpass',
  'key',
  'secret',
  'token',
  'apikey',
  'api_key',
  'access_token',
  'uid',
  'u',
  'sig',
  'signature',
  'hash',
  'session',
  'sid',
  'pass',
  'password',
]);

/**
 * BEP 3 announce and scrape parameters. They say which torrent and which client, which the tracker's URL
 * already tells anyone who has the .torrent; hiding them would only hide what a request looked like.
 */
const PUBLIC_PARAMS = new Set([
  'info_hash',
  'peer_id',
  'port',
  'uploaded',
  'downloaded',
  'left',
  'corrupt',
  'event',
  'compact',
  'no_peer_id',
  'numwant',
  'ip',
  'ipv4',
  'ipv6',
  'supportcrypto',
  'requirecrypto',
  'redundant',
  'trackerid',
]);

/** A path segment or query value that looks like a generated secret: long, and hex or mixed letters and digits. */
function looksSecret(text: string): boolean {
  if (text.length < 16) return false;
  if (/^[0-9a-f]+$/i.test(text)) return true;
  return /^[A-Za-z0-9_\-.~=%+]+$/.test(text) && /[0-9]/.test(text) && /[A-Za-z]/.test(text) && !/^[a-z]+[-_.][a-z]+$/i.test(text);
}

/** The URL with user-info, secret query values and secret-looking path segments replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(url);
  if (!match) return looksSecret(url) ? REDACTED : url;
  const [, scheme, authority, path, query = '', fragment = ''] = match;
  const at = authority.lastIndexOf('@');
  const host = at >= 0 ? `${REDACTED}@${authority.slice(at + 1)}` : authority;
  const redactedPath = path
    .split('/')
    .map((segment) => (looksSecret(safeDecode(segment)) ? REDACTED : segment))
    .join('/');
  const redactedQuery = query
    ? '?' +
      query
        .slice(1)
        .split('&')
        .map((pair) => {
          const eq = pair.indexOf('=');
          if (eq < 0) return looksSecret(safeDecode(pair)) ? REDACTED : pair;
          const name = pair.slice(0, eq);
          const value = pair.slice(eq + 1);
          const param = safeDecode(name).toLowerCase();
          if (PUBLIC_PARAMS.has(param)) return pair;
          return SECRET_PARAMS.has(param) || looksSecret(safeDecode(value)) ? `${name}=${REDACTED}` : pair;
        })
        .join('&')
    : '';
  return scheme + host + redactedPath + redactedQuery + (fragment && looksSecret(fragment.slice(1)) ? `#${REDACTED}` : fragment);
}

/** Whether `redactUrl` would hide anything. */
export function hasSecret(url: string): boolean {
  return redactUrl(url) !== url;
}

/** Redacts every URL-looking run in free text (log lines, error messages that quote a URL). */
export function redactText(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (url) => redactUrl(url));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
