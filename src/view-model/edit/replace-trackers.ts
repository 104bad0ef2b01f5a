// Replacing text in the tracker URLs of many torrents (Torrent: Replace Tracker URL in Torrents…): what each file
// would become, planned before anything is written, with the changes shown redacted, and a reason for every file that
// is left as it is. Pure: the command (src/extension/edit/) reads and writes the files.
//
// The replacement is the edit engine's `replace-in-trackers` (transmission-edit's --replace): the first occurrence of
// the text in `announce` and in each URL of `announce-list`, every other byte kept. A URL the replacement breaks (no
// longer a tracker URL) skips the whole file, so no file is written half replaced.

import { applyEdit } from '../../core/edit/apply';
import { EditError } from '../../core/edit/types';
import { parseMetainfo } from '../../core/metainfo/parse';
import { Secrets } from '../../core/privacy/secrets';
import { errorText } from '../../shared/format';

/** Larger files are not read: no torrent is this large, and reading one would take the memory of many. */
export const MAX_TORRENT_BYTES = 64 * 1024 * 1024;

/** One URL as it is now and as it would be, both redacted unless secrets are shown. */
export interface ShownChange {
  before: string;
  after: string;
  /** Redacted, `before` and `after` look the same: only a hidden part (a passkey) changes. */
  hiddenPartOnly: boolean;
}

export type ReplacePlan =
  /** The file changes: `bytes` are the new file, `changes` each URL that changes, once. */
  | { status: 'change'; bytes: Uint8Array; changes: ShownChange[] }
  /** The file is left as it is, for `reason` (a sentence without a full stop). */
  | { status: 'skip'; reason: string };

export interface ReplaceRequest {
  /** The text to find in tracker URLs (a passkey, a domain, a whole URL). */
  find: string;
  replace: string;
  /** Whether secrets are shown (`torrentLens.privacy.showSecrets`). */
  showSecrets: boolean;
}

/** Why the text to find or its replacement cannot be used, as they are typed; undefined when they can. */
export function replaceTextProblem(text: string, role: 'find' | 'replace'): string | undefined {
  if (role === 'find' && text === '') return 'Type the text to find in tracker URLs.';
  // Control characters cannot be part of a URL, and would be invisible in the preview.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) return 'The text cannot hold control characters (tabs, line breaks).';
  return undefined;
}

/** What replacing `request.find` by `request.replace` does to the torrent `bytes`. */
export function planReplace(bytes: Uint8Array, request: ReplaceRequest): ReplacePlan {
  const parsed = parseMetainfo(bytes);
  if (!parsed.ok) return { status: 'skip', reason: `not a torrent: ${parsed.failure.message}` };
  const metainfo = parsed.metainfo;
  let result;
  try {
    result = applyEdit(metainfo.document, { kind: 'replace-in-trackers', find: request.find, replace: request.replace });
  } catch (error) {
    const secrets = Secrets.forTorrent(metainfo, { show: request.showSecrets });
    const message = error instanceof EditError ? error.message : errorText(error);
    return { status: 'skip', reason: secrets.redact(message) };
  }
  if (result.splices.length === 0) return { status: 'skip', reason: 'no tracker URL contains the text' };
  const pairs = result.changes.filter((change) => change.before !== undefined && change.after !== undefined);
  // The secrets of both versions: a passkey the replacement brings is hidden as well as the one it replaces.
  const secrets = Secrets.forTorrent(
    { ...metainfo, trackers: [...metainfo.trackers, pairs.map((change) => change.after!)] },
    { show: request.showSecrets },
  );
  const seen = new Set<string>();
  const changes: ShownChange[] = [];
  for (const change of pairs) {
    const key = `${change.before}\u0000${change.after}`;
    if (seen.has(key)) continue;
    seen.add(key);
    changes.push({
      before: secrets.redactUrl(change.before!),
      after: secrets.redactUrl(change.after!),
      hiddenPartOnly: secrets.differOnlyInSecrets(change.before!, change.after!),
    });
  }
  return { status: 'change', bytes: result.bytes, changes };
}
