// The state one read of a metainfo shares across its parts: the decoded document and its bytes, the
// diagnostic log, and the helpers that fail (a fatal defect), warn and note. Each concern of the reader
// (the root and info dictionaries, their fields, the v1 file list, the v2 file tree) is a set of
// functions that take this context, so each reads on its own.

import type { BencodeDocument, Token } from '../bencode/decode';
import type { DiagnosticCode, MetainfoErrorCode } from './codes';
import type { DiagnosticLog } from './diagnostics';
import type { DiagnosticSeverity } from './types';

/** A fatal defect: parsing stops and the result is a failure. */
export class MetainfoError extends Error {
  constructor(
    readonly code: MetainfoErrorCode,
    message: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}

/** The largest total length libtorrent accepts: its file sizes are signed 64-bit integers. */
export const INT64_MAX = 9223372036854775807n;

export class ReadContext {
  /** The document's bytes: checks of names and paths read them in place. */
  readonly data: Uint8Array;

  constructor(
    readonly doc: BencodeDocument,
    readonly log: DiagnosticLog,
  ) {
    this.data = doc.data;
  }

  fail(code: MetainfoErrorCode, message: string, offset?: number): never {
    throw new MetainfoError(code, message, offset);
  }

  warn(code: DiagnosticCode, message: string, token: Token | undefined, location: string | undefined): void {
    this.add('warning', code, message, token, location);
  }

  note(code: DiagnosticCode, message: string, token: Token | undefined, location: string | undefined): void {
    this.add('info', code, message, token, location);
  }

  /** Files whose lengths add up past 2^53 cannot be handled with exact arithmetic. */
  tooLarge(total: bigint, token: Token): never {
    this.fail(
      'length-too-large',
      `the files add up to ${total} bytes, more than 2^53: too large to handle exactly (no real torrent is this large)`,
      this.doc.start(token),
    );
  }

  kindName(t: Token): string {
    const kind = this.doc.kind(t);
    return kind === 'int' ? 'integer' : kind === 'bytes' ? 'string' : kind === 'dict' ? 'dictionary' : 'list';
  }

  /** The value's type with its article: "an integer", "a list". */
  aKind(t: Token): string {
    const name = this.kindName(t);
    return name === 'integer' ? 'an integer' : `a ${name}`;
  }

  private add(
    severity: DiagnosticSeverity,
    code: DiagnosticCode,
    message: string,
    token: Token | undefined,
    location: string | undefined,
  ): void {
    if (this.log.want(code, severity))
      this.log.push(severity, code, message, token === undefined ? undefined : this.doc.start(token), location);
  }
}
