// One version of a torrent file, as read from disk or as an edit left it: its bytes, the parse result, and indexes
// built on first use. Every editor of the file shares it; a change on disk or an edit makes a new one.
import { BencodeError, decode, type BencodeDocument } from '../../core/bencode/decode';
import { FolderIndex } from '../../core/metainfo/folder-index';
import type { DiagnosticCode, FailureCode } from '../../core/metainfo/codes';
import type { Diagnostic, Metainfo, MetainfoFailure, MetainfoResult } from '../../core/metainfo/types';

/** A problem as the editor lists it: a diagnostic, or the failure of a file that is no torrent (an error). */
export type Problem = Omit<Diagnostic, 'code'> & { code: DiagnosticCode | FailureCode };
import { exactBytes, plural, errorText } from '../../shared/format';
import { PathSearch } from './path-search';

/** `parseMetainfoAsync` in the extension (hashes on the thread pool); tests may pass the synchronous `parseMetainfo`. */
export type MetainfoParser = (bytes: Uint8Array) => MetainfoResult | Promise<MetainfoResult>;

export class ParsedTorrent {
  private fileIndexCache?: FolderIndex;
  private pathSearchCache?: PathSearch;
  private problemsCache?: Problem[];

  private constructor(
    /** Starts at 1 and grows with every reload and every edit. */
    readonly version: number,
    readonly bytes: Uint8Array,
    readonly result: MetainfoResult,
    /** How long parsing took, in milliseconds. */
    readonly parseMs: number,
  ) {}

  /** Parses without rejecting: a parser bug (thrown or rejected) becomes a failure that still shows the raw tree. */
  static async parse(version: number, bytes: Uint8Array, parser: MetainfoParser): Promise<ParsedTorrent> {
    const started = performance.now();
    let result: MetainfoResult;
    try {
      result = await parser(bytes);
    } catch (error) {
      result = { ok: false, failure: failureFromError(error, bytes) };
    }
    return new ParsedTorrent(version, bytes, result, performance.now() - started);
  }

  get metainfo(): Metainfo | undefined {
    return this.result.ok ? this.result.metainfo : undefined;
  }

  get failure(): MetainfoFailure | undefined {
    return this.result.ok ? undefined : this.result.failure;
  }

  /** The decoded bencode: complete, partial (before a bencode error), or none. */
  get document(): BencodeDocument | undefined {
    return this.result.ok ? this.result.metainfo.document : this.result.failure.document;
  }

  /** What the parser noted: warnings and notes (a failure's own error is not among them; see `problems`). */
  get diagnostics(): Diagnostic[] {
    return this.result.ok ? this.result.metainfo.diagnostics : this.result.failure.diagnostics;
  }

  /**
   * Every problem of the file, as the Problems tab and VS Code's Problems view list them: for a file that
   * is no torrent, the failure first (an error), then what was noted before it.
   */
  get problems(): readonly Problem[] {
    if (this.result.ok) return this.result.metainfo.diagnostics;
    const failure = this.result.failure;
    this.problemsCache ??= [
      {
        severity: 'error',
        code: failure.code,
        message: failure.message,
        ...(failure.offset !== undefined ? { offset: failure.offset } : {}),
      },
      ...failure.diagnostics,
    ];
    return this.problemsCache;
  }

  /** Whether `bytes` are this version's bytes: a re-read that finds them publishes no new version. */
  hasBytes(bytes: Uint8Array): boolean {
    const own = this.bytes;
    if (own.length !== bytes.length) return false;
    for (let i = 0; i < own.length; i++) if (own[i] !== bytes[i]) return false;
    return true;
  }

  /** The log line for this version of the file at `where`: what it holds or why it is no torrent, and the time taken. */
  logEntry(where: string, readMs: number): { level: 'info' | 'warn'; message: string } {
    const at = `${where} (${this.bytes.length} bytes, version ${this.version})`;
    const timing = `read ${readMs.toFixed(1)} ms, parsed ${this.parseMs.toFixed(1)} ms`;
    const metainfo = this.metainfo;
    if (metainfo) return { level: 'info', message: `${at}: ${describeTorrent(metainfo)}; ${timing}` };
    const failure = this.failure!;
    const offset = failure.offset !== undefined ? ` (at byte ${failure.offset})` : '';
    return { level: 'warn', message: `${at}: not a valid torrent: ${failure.message}${offset} [${failure.code}]; ${timing}` };
  }

  /**
   * Takes over the file indexes `previous` built, when both versions have the same info dictionary (the same info
   * hashes): an edit outside it leaves the files as they were, and a 100,000-file torrent need not index them again.
   */
  shareFileIndexes(previous: ParsedTorrent): void {
    const mine = this.metainfo;
    const theirs = previous.metainfo;
    if (!mine || !theirs || mine.files.count !== theirs.files.count) return;
    if (mine.infoHash.v1 !== theirs.infoHash.v1 || mine.infoHash.v2 !== theirs.infoHash.v2) return;
    this.fileIndexCache ??= previous.fileIndexCache;
    this.pathSearchCache ??= previous.pathSearchCache;
  }

  /** The folder index of the files, built once per version. */
  fileIndex(): FolderIndex {
    const metainfo = this.metainfo;
    if (!metainfo) throw new Error('no files: the torrent did not parse');
    this.fileIndexCache ??= FolderIndex.build(metainfo.files);
    return this.fileIndexCache;
  }

  /** The files' paths, ready for the files filter; built on the first query, once per version. */
  pathSearch(): PathSearch {
    const metainfo = this.metainfo;
    if (!metainfo) throw new Error('no files: the torrent did not parse');
    this.pathSearchCache ??= PathSearch.build(metainfo.files);
    return this.pathSearchCache;
  }
}

/** A failure for an exception the parser should not have thrown; the raw tree still shows what decodes. */
export function failureFromError(error: unknown, bytes: Uint8Array): MetainfoFailure {
  if (error instanceof BencodeError) {
    return { code: error.code, message: error.message, offset: error.offset, document: error.partial, diagnostics: [] };
  }
  let document: BencodeDocument | undefined;
  try {
    document = decode(bytes);
  } catch (decodeError) {
    if (decodeError instanceof BencodeError) document = decodeError.partial;
  }
  const message = errorText(error);
  return { code: 'internal-error', message: `could not read the metainfo: ${message}`, document, diagnostics: [] };
}

/** Words for a torrent (pads left out of the file count), for the log. */
export function describeTorrent(m: Metainfo): string {
  return `${m.version}, ${plural(m.files.count - m.files.padCount, 'file')}, ${exactBytes(m.totalLength)}, ${plural(m.pieceCount, 'piece')}`;
}
