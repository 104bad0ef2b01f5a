// Torrents made from magnet links, before the user saves them: a read-only file system under `torrent-lens:`
// (`torrent-lens:/<info hash>/<name>.torrent`) that holds their bytes in memory, so that the Torrent Lens editor
// opens them like any file, as an unsaved one. "Save Torrent As…" writes one where the user chooses.
//
// Why not an `untitled:` document: VS Code 1.100 gives a custom editor only the text of an untitled document
// (from the untitled text model), and a .torrent is bytes; our editor is read-only and reads files through
// `workspace.fs`, which has no provider for `untitled:`. A file system of our own serves the exact bytes.
import * as vscode from 'vscode';
import { Disposable } from '../../shared/disposable';

export const FETCHED_SCHEME = 'torrent-lens';

/** Torrents kept at once; the oldest goes first (an editor that has it open keeps what it read). */
const MAX_KEPT = 16;

export class FetchedTorrents extends Disposable implements vscode.FileSystemProvider {
  private readonly files = new Map<string, { bytes: Uint8Array; mtime: number }>();
  private readonly changes = this.register(new vscode.EventEmitter<vscode.FileChangeEvent[]>());
  readonly onDidChangeFile = this.changes.event;

  /** Keeps a torrent's bytes and returns its URI. The same hash and name replace the earlier bytes. */
  add(hash: string, fileName: string, bytes: Uint8Array): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: FETCHED_SCHEME, path: `/${hash}/${fileName}` });
    const existed = this.files.delete(uri.path);
    this.files.set(uri.path, { bytes, mtime: Date.now() });
    while (this.files.size > MAX_KEPT) this.files.delete(this.files.keys().next().value!);
    this.changes.fire([{ type: existed ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri }]);
    return uri;
  }

  /** The bytes of a fetched torrent, if it is still kept. */
  bytes(uri: vscode.Uri): Uint8Array | undefined {
    return uri.scheme === FETCHED_SCHEME ? this.files.get(uri.path)?.bytes : undefined;
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const file = this.files.get(uri.path);
    if (file) return { type: vscode.FileType.File, ctime: file.mtime, mtime: file.mtime, size: file.bytes.length };
    if (this.isFolder(uri.path)) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    throw vscode.FileSystemError.FileNotFound(uri);
  }

  readDirectory(uri: vscode.Uri): [string, vscode.FileType][] {
    if (!this.isFolder(uri.path)) throw vscode.FileSystemError.FileNotFound(uri);
    const prefix = uri.path.endsWith('/') ? uri.path : `${uri.path}/`;
    const entries = new Map<string, vscode.FileType>();
    for (const path of this.files.keys()) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      entries.set(slash < 0 ? rest : rest.slice(0, slash), slash < 0 ? vscode.FileType.File : vscode.FileType.Directory);
    }
    return [...entries];
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const file = this.files.get(uri.path);
    if (!file) throw vscode.FileSystemError.FileNotFound(uri);
    return file.bytes;
  }

  watch(): vscode.Disposable {
    // Changes are announced through onDidChangeFile whoever watches.
    return new vscode.Disposable(() => {});
  }

  createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  private isFolder(path: string): boolean {
    if (path === '/' || path === '') return true;
    const prefix = path.endsWith('/') ? path : `${path}/`;
    for (const file of this.files.keys()) if (file.startsWith(prefix)) return true;
    return false;
  }
}
