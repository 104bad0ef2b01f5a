// What a line of the "Torrent Lens" log says. A line about a torrent is redacted through that torrent's
// secrets (its private flag and every secret value learned so far, so a passkey quoted anywhere is hidden);
// a line about no torrent in particular through the rule every torrent's URLs follow. Unless the user
// shows secrets: then it is written as it is.
import { Secrets } from '../core/privacy/secrets';

/**
 * The line as written to the log. `secrets` are the torrent's, made without `show` (they only hide);
 * whether secrets are shown is the setting when the line is written.
 */
export function logLine(message: string, showSecrets: boolean, secrets?: Secrets): string {
  if (showSecrets) return message;
  return (secrets ?? Secrets.forTorrent({})).redact(message);
}
