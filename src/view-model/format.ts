// How the editor shows torrent strings and bytes. Pure: no `vscode`, so it is unit-tested. Which characters are
// escaped is decided by the core's display sanitiser (src/core/text/display.ts), the same as in the CLI; numbers,
// sizes and dates are worded by src/shared/format.ts.
import { visibleText } from '../core/text/display';
import type { ShownText } from '../shared/protocol/editor';

/** Longest label a tree row carries; the rest is counted in `omitted`. */
export const ROW_TEXT_LIMIT = 1024;
/** Longest text in the overview (a comment can be long; 100 kB names exist in the wild). */
export const OVERVIEW_TEXT_LIMIT = 16384;

/** A torrent string as it may be shown: cut to `limit` characters, control, bidi and invisible characters escaped. */
export function shownText(value: { text: string; utf8: boolean }, limit = ROW_TEXT_LIMIT): ShownText {
  const cut = value.text.length > limit;
  const shown: ShownText = { text: visibleText(cut ? value.text.slice(0, limit) : value.text), utf8: value.utf8 };
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
