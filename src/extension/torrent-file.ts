// Reading a torrent in the extension: always through `vscode.workspace.fs`, so a torrent on a remote or
// virtual file system (or Torrent Lens's own `torrent-lens:` one) reads as a local one does, and always
// through the core's loader, so its size is checked against the one cap before any byte is read.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readWholeTorrent, TorrentInputError } from '../core/input/torrent-bytes';
import { parseMetainfoAsync } from '../core/metainfo/parse';
import type { Metainfo } from '../core/metainfo/types';
import { errorText } from '../shared/format';
import { notificationText } from '../view-model/notification-text';

/** The file name of a torrent's URI, for titles and messages. */
export function fileNameOf(uri: vscode.Uri): string {
  return path.posix.basename(uri.path) || uri.toString();
}

/**
 * A torrent's bytes: its size is asked first and refused above the cap before it is read. A refusal is a
 * `TorrentInputError` whose message starts with the file name (`a.torrent: is larger than …`).
 */
export async function readTorrentBytes(uri: vscode.Uri): Promise<Uint8Array> {
  try {
    return await readWholeTorrent({
      size: async () => (await vscode.workspace.fs.stat(uri)).size,
      read: () => Promise.resolve(vscode.workspace.fs.readFile(uri)),
    });
  } catch (error) {
    if (error instanceof TorrentInputError) throw new TorrentInputError(error.code, `${fileNameOf(uri)}: ${error.message}`, error.offset);
    throw error;
  }
}

/** Reads and parses a torrent for a command; undefined, after an error notification, when it cannot. */
export async function loadTorrent(uri: vscode.Uri): Promise<Metainfo | undefined> {
  const name = notificationText(fileNameOf(uri));
  try {
    const result = await parseMetainfoAsync(await readTorrentBytes(uri));
    if (result.ok) return result.metainfo;
    const failure = notificationText(result.failure.message);
    void vscode.window.showErrorMessage(
      result.failure.offset === undefined
        ? vscode.l10n.t('{0} is not a valid torrent: {1}', name, failure)
        : vscode.l10n.t('{0} is not a valid torrent: {1} (at byte {2})', name, failure, result.failure.offset),
    );
  } catch (error) {
    void vscode.window.showErrorMessage(
      error instanceof TorrentInputError
        ? notificationText(error.message)
        : vscode.l10n.t('Cannot read {0}: {1}', name, notificationText(errorText(error))),
    );
  }
  return undefined;
}
