// The secrets of one torrent. Private trackers put a per-user secret (passkey) into the announce URL: in
// the path, the query or the user-info. Anyone who sees it can announce as that user, so it is hidden
// wherever a URL or a text derived from one is shown or logged, unless the user asks to see secrets.
//
// The rule, applied to each URL by its position in it:
// - a private torrent (BEP 27): every path segment of a tracker URL except a final `announce`/`scrape`,
//   every query value but the BEP 3 announce parameters, the user-info and the fragment;
// - any torrent: the user-info, the values of the known passkey parameters (`passkey`, `pk`, `authkey`, …),
//   and path segments and query values that look generated (a long run of letters and digits, as a hex
//   or base-62 passkey is).
// Web seeds of a private torrent keep their path (it names a file) but hide every query value.
//
// Each secret value found by the rule is remembered, so that it is hidden wherever it turns up later:
// a failure reason quoting the request line, a redirect's relative Location, notes, the log, the
// comment, magnet links, JSON.

export const REDACTED = '[redacted]';

/**
 * The shortest remembered value that is replaced wherever it appears in text. In a URL a value is hidden by
 * its position whatever its length, but a shorter value (`1`, `42`, `abc123`) or a plain word (`tracker`,
 * `announce`) also occurs in ordinary text, in numbers, counts and our own messages; replacing every
 * occurrence would garble that text, and a credential that short could be guessed anyway.
 */
export const MIN_SECRET_LENGTH = 8;

/** Query parameters that trackers use for secrets, whatever the torrent. */
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

/** Which parts of a URL are secret whatever they hold (the rest only when they look generated). */
interface Rule {
  everyPathSegment: boolean;
  everyQueryValue: boolean;
}
const ANY_TORRENT: Rule = { everyPathSegment: false, everyQueryValue: false };
const PRIVATE_TRACKER: Rule = { everyPathSegment: true, everyQueryValue: true };
const PRIVATE_WEB_SEED: Rule = { everyPathSegment: false, everyQueryValue: true };

/** The last path segment that names the endpoint rather than the user: `announce`, `scrape.php`, … */
const ENDPOINT = /^(announce|scrape)(\.[a-z0-9]{1,8})?$/i;

/** A run of letters and digits as long as a generated secret, with a digit in it or hex throughout. */
function looksGenerated(text: string): boolean {
  for (const run of text.match(/[A-Za-z0-9]{16,}/g) ?? []) if (/[0-9]/.test(run) || /^[0-9a-f]+$/i.test(run)) return true;
  return false;
}

/** Whether a value is worth replacing in any text: long enough, and not plain lower-case words. */
function memorable(value: string): boolean {
  return value.length >= MIN_SECRET_LENGTH && value !== REDACTED && !/^[a-z]+([-_.][a-z]+)*$/.test(value);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const ABSOLUTE_URL = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/is;
const REFERENCE = /^([^?#]*)(\?[^#]*)?(#.*)?$/s;
/**
 * URLs in free text: absolute ones, and relative references that begin a word with `/`, as a request line
 * (`GET /announce?… HTTP/1.1`) or a redirect (`→ /other/announce?…`) quotes them.
 */
const URLS_IN_TEXT = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+)|((?<![^\s"'(<[{,;=→])\/[^\s"'<>]+)/gi;

/** What the rule hides in one URL: the text with those parts replaced, and the values it hid. */
function applyRule(url: string, rule: Rule): { text: string; hidden: string[] } {
  // Torrents may keep whitespace around a URL (clients strip it): read the URL inside, keep the rest as is.
  const trimmed = url.trim();
  if (trimmed !== url && trimmed !== '') {
    const start = url.indexOf(trimmed);
    const inner = applyRule(trimmed, rule);
    return { text: url.slice(0, start) + inner.text + url.slice(start + trimmed.length), hidden: inner.hidden };
  }
  const hidden: string[] = [];
  const absolute = ABSOLUTE_URL.exec(url);
  if (absolute) {
    const [, scheme, authority, path, query = '', fragment = ''] = absolute;
    return { text: scheme + redactAuthority(authority, hidden) + redactReference(path, query, fragment, rule, hidden), hidden };
  }
  if (url.startsWith('/')) {
    const [, path, query = '', fragment = ''] = REFERENCE.exec(url)!;
    return { text: redactReference(path, query, fragment, rule, hidden), hidden };
  }
  if (looksGenerated(url)) {
    hidden.push(url);
    return { text: REDACTED, hidden };
  }
  return { text: url, hidden };
}

function redactAuthority(authority: string, hidden: string[]): string {
  const at = authority.lastIndexOf('@');
  if (at <= 0) return authority;
  const userInfo = authority.slice(0, at);
  if (userInfo !== REDACTED) hidden.push(userInfo, ...userInfo.split(':'));
  return `${REDACTED}@${authority.slice(at + 1)}`;
}

function redactReference(path: string, query: string, fragment: string, rule: Rule, hidden: string[]): string {
  const segments = path.split('/');
  let last = segments.length - 1;
  while (last >= 0 && segments[last] === '') last--;
  const shownPath = segments
    .map((segment, i) => {
      const decoded = safeDecode(segment);
      if (segment === '' || decoded === REDACTED) return segment;
      const secret = rule.everyPathSegment ? !(i === last && ENDPOINT.test(decoded)) : looksGenerated(decoded);
      if (!secret) return segment;
      hidden.push(segment);
      return REDACTED;
    })
    .join('/');
  const shownQuery = query
    ? '?' +
      query
        .slice(1)
        .split('&')
        .map((pair) => {
          const eq = pair.indexOf('=');
          const name = eq < 0 ? '' : pair.slice(0, eq);
          const value = eq < 0 ? pair : pair.slice(eq + 1);
          const param = safeDecode(name).toLowerCase();
          if (value === '' || safeDecode(value) === REDACTED || (eq >= 0 && PUBLIC_PARAMS.has(param))) return pair;
          if (!rule.everyQueryValue && !SECRET_PARAMS.has(param) && !looksGenerated(safeDecode(value))) return pair;
          hidden.push(value);
          return eq < 0 ? REDACTED : `${name}=${REDACTED}`;
        })
        .join('&')
    : '';
  let shownFragment = fragment;
  const fragmentText = fragment.slice(1);
  if (fragmentText !== '' && fragmentText !== REDACTED && (rule.everyQueryValue || looksGenerated(fragmentText))) {
    hidden.push(fragmentText);
    shownFragment = `#${REDACTED}`;
  }
  return shownPath + shownQuery + shownFragment;
}

/** Where to look for a torrent's secrets: its URLs (`Metainfo` has these fields) and its private flag. */
export interface SecretSources {
  /** Tracker URLs, by tier as in `Metainfo.trackers`. */
  trackers?: readonly (readonly string[])[];
  /** BEP 19 web seeds (`url-list`). */
  webSeeds?: readonly string[];
  /** BEP 17 HTTP seeds. */
  httpSeeds?: readonly string[];
  /** BEP 27: a private torrent's tracker URLs are secret throughout. */
  private?: boolean;
}

/**
 * The secrets of one torrent: built once from its URLs and private flag, it hides them in any URL
 * (`redactUrl`) and any text (`redact`), and learns the values of every secret its rule finds on the way.
 * Made with `show`, it hides nothing (`--show-secrets`, `torrentLens.privacy.showSecrets`).
 */
export class Secrets {
  /** Remembered values by their first MIN_SECRET_LENGTH characters, longest first. */
  private readonly byPrefix = new Map<string, string[]>();
  private readonly known = new Set<string>();
  private readonly webSeeds = new Set<string>();
  private readonly trackerHosts = new Set<string>();

  private constructor(
    /** Whether the torrent is private (its tracker URLs are secret throughout). */
    readonly isPrivate: boolean,
    /** Whether secrets are shown: then nothing is redacted. */
    readonly shown: boolean,
  ) {}

  /** The secrets of a torrent (a `Metainfo` will do), learned from its trackers and seeds. */
  static forTorrent(torrent: SecretSources, options: { show?: boolean } = {}): Secrets {
    const secrets = new Secrets(torrent.private === true, options.show === true);
    for (const url of [...(torrent.webSeeds ?? []), ...(torrent.httpSeeds ?? [])]) secrets.webSeeds.add(url.trim());
    for (const tier of torrent.trackers ?? [])
      for (const url of tier) {
        const host = hostOf(url);
        if (host !== undefined) secrets.trackerHosts.add(host);
        secrets.learnUrl(url);
      }
    for (const url of secrets.webSeeds) secrets.learnUrl(url);
    return secrets;
  }

  /** Whether any secret is known and would be hidden (for a "secrets hidden" hint). */
  get hidesAnything(): boolean {
    return !this.shown && this.known.size > 0;
  }

  /** Whether the URL holds a secret by this torrent's rule or a known value (whether or not secrets are shown). */
  hasSecret(url: string): boolean {
    return this.hide(url) !== url;
  }

  /** The URL with its secrets replaced by `[redacted]`; what it hides is remembered and hidden everywhere after. */
  redactUrl(url: string): string {
    return this.shown ? url : this.hide(url);
  }

  /** Remembers the secrets of a URL (a tracker given on the command line, say) without showing anything. */
  learnUrl(url: string): void {
    this.hide(url);
  }

  /** Free text with every URL in it redacted by the rule and every remembered secret value replaced. */
  redact(text: string): string {
    if (this.shown || text === '') return text;
    const structural = text.replace(URLS_IN_TEXT, (match) => this.hide(match, false, true));
    return this.replaceKnown(structural);
  }

  /**
   * Whether `before` and `after` differ only where secrets are hidden: shown redacted they look the same, so what
   * shows them must say that something hidden changed (a passkey swapped for another).
   */
  differOnlyInSecrets(before: string, after: string): boolean {
    return before !== after && this.redact(before) === this.redact(after);
  }

  /** A copy of a JSON-like value with every string in it redacted (keys of objects are kept). */
  redactJson<T>(value: T): T {
    if (this.shown) return value;
    const visit = (v: unknown): unknown => {
      if (typeof v === 'string') return this.redact(v);
      if (Array.isArray(v)) return v.map(visit);
      if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, visit(inner)]));
      return v;
    };
    return visit(value) as T;
  }

  /**
   * The rule for a URL: a private torrent's trackers (and any URL it is asked to treat as one, such as a
   * tracker given on the command line) are secret throughout, its web seeds in their queries. In a text, a
   * path without a host (a request line, a redirect) is the tracker's own; an absolute URL to another host
   * (a comment's link to a web page) gets the rule for any torrent, and the tracker secrets it may repeat are
   * hidden as remembered values anyway.
   */
  private ruleFor(url: string, inText: boolean): Rule {
    if (!this.isPrivate) return ANY_TORRENT;
    if (this.webSeeds.has(url.trim())) return PRIVATE_WEB_SEED;
    if (inText) {
      const host = hostOf(url);
      if (host !== undefined && !this.trackerHosts.has(host)) return ANY_TORRENT;
    }
    return PRIVATE_TRACKER;
  }

  /** Applies the rule (learning what it hides), then replaces remembered values the rule did not reach. */
  private hide(url: string, replaceKnown = true, inText = false): string {
    const { text, hidden } = applyRule(url, this.ruleFor(url, inText));
    for (const value of hidden) this.remember(value);
    return replaceKnown ? this.replaceKnown(text) : text;
  }

  /** Remembers a secret value in the forms it travels in: as in the URL, decoded, encoded, escaped in JSON. */
  private remember(raw: string): void {
    const decoded = safeDecode(raw);
    const forms = new Set([raw, decoded]);
    try {
      forms.add(encodeURIComponent(decoded));
    } catch {
      // a lone surrogate has no percent-encoding
    }
    // Percent-escapes are case-insensitive: %2f and %2F are the same byte.
    for (const form of [...forms]) {
      forms.add(form.replace(/%[0-9a-f]{2}/gi, (e) => e.toUpperCase()));
      forms.add(form.replace(/%[0-9a-f]{2}/gi, (e) => e.toLowerCase()));
    }
    for (const form of [...forms]) forms.add(JSON.stringify(form).slice(1, -1));
    for (const form of forms) {
      if (!memorable(form) || this.known.has(form)) continue;
      this.known.add(form);
      const prefix = form.slice(0, MIN_SECRET_LENGTH);
      const list = this.byPrefix.get(prefix);
      if (!list) this.byPrefix.set(prefix, [form]);
      else {
        list.push(form);
        list.sort((a, b) => b.length - a.length);
      }
    }
  }

  /** Replaces every remembered value in one pass: a lookup by prefix at each position, linear in the text. */
  private replaceKnown(text: string): string {
    if (this.byPrefix.size === 0 || text.length < MIN_SECRET_LENGTH) return text;
    let out = '';
    let copied = 0;
    for (let i = 0; i + MIN_SECRET_LENGTH <= text.length;) {
      const candidates = this.byPrefix.get(text.slice(i, i + MIN_SECRET_LENGTH));
      const match = candidates?.find((value) => text.startsWith(value, i));
      if (match === undefined) {
        i++;
        continue;
      }
      out += text.slice(copied, i) + REDACTED;
      i += match.length;
      copied = i;
    }
    return copied === 0 ? text : out + text.slice(copied);
  }
}

/** The host of an absolute URL, lower-cased, without user-info or port; undefined for a path. */
function hostOf(url: string): string | undefined {
  const match = /^\s*[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)/i.exec(url);
  return match ? match[1].toLowerCase() : undefined;
}
