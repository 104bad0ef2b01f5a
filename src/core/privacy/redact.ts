// URL redaction without a torrent: the rule every torrent's URLs follow (`Secrets` for a public torrent).
// A torrent's own `Secrets` knows more (its private flag, the values it has seen) and should be preferred.
import { REDACTED, Secrets } from './secrets';

export { REDACTED };

/**
 * The URL with user-info, passkey parameters and generated-looking path segments and values replaced by
 * `[redacted]`.
 * @deprecated Use `Secrets.forTorrent(metainfo).redactUrl(url)`, which also applies a private torrent's rule.
 */
export function redactUrl(url: string): string {
  return Secrets.forTorrent({}).redactUrl(url);
}

/**
 * Whether `redactUrl` would hide anything.
 * @deprecated Use `Secrets.forTorrent(metainfo).hasSecret(url)`.
 */
export function hasSecret(url: string): boolean {
  return Secrets.forTorrent({}).hasSecret(url);
}

/**
 * Redacts every URL in free text (absolute, or a relative reference such as a request line quotes), and
 * the secret values they hold wherever else they appear in the same text.
 * @deprecated Use `Secrets.forTorrent(metainfo).redact(text)`, which also hides the torrent's known secrets.
 */
export function redactText(text: string): string {
  return Secrets.forTorrent({}).redact(text);
}
