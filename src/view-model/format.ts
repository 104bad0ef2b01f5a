// How the editor shows torrent strings and bytes. Pure: no `vscode`, so it is unit-tested. Numbers, sizes and
// dates are worded by src/shared/format.ts.
import { escapeControlChars } from '../core/text/bytes';
import type { ShownText } from '../shared/protocol/editor';

/** Longest label a tree row carries; the rest is counted in `omitted`. */
export const ROW_TEXT_LIMIT = 1024;
/** Longest text in the overview (a comment can be long; 100 kB names exist in the wild). */
export const OVERVIEW_TEXT_LIMIT = 16384;

// Characters that change how text around them is drawn without being visible: bidi overrides and
// isolates (which can make `exe.txt` read as `txt.exe`), zero-width characters and the BOM.

const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** A torrent string as it may be shown: cut to `limit` characters, control and invisible characters escaped. */
export function shownText(value: { text: string; utf8: boolean }, limit = ROW_TEXT_LIMIT): ShownText {
  const cut = value.text.length > limit;
  const text = escapeControlChars(cut ? value.text.slice(0, limit) : value.text).replace(
    INVISIBLE,
    (c) => `\\u{${c.charCodeAt(0).toString(16)}}`,
  );
  const shown: ShownText = { text, utf8: value.utf8 };
  if (cut) shown.omitted = value.text.length - limit;
  return shown;
}

/** Plain text we produced ourselves (always valid, never cut). */
export function plainText(text: string): ShownText {
  return { text, utf8: true };
}

const HEX = '0123456789abcdef';

/** Up to `max` bytes as hex, with a trailing ellipsis when there are more. */
export function hexPreview(bytes: Uint8Array, max: number): string {
  let out = '';
  const n = Math.min(bytes.length, max);
  for (let i = 0; i < n; i++) out += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return bytes.length > max ? `${out}…` : out;
}
