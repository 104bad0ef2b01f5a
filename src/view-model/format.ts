// How the editor words numbers, sizes, dates and torrent strings. Pure: no `vscode`, so it is unit-tested.
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

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** A byte count for people: `1.5 MiB`, `512 bytes`, `1 byte`. */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  if (Math.abs(bytes) < 1024) return `${bytes} ${Math.abs(bytes) === 1 ? 'byte' : 'bytes'}`;
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** An integer with thousands separators, independent of the locale: `1,234,567`. */
export function formatCount(value: number | bigint): string {
  const text = String(value);
  const negative = text.startsWith('-');
  const digits = negative ? text.slice(1) : text;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return negative ? `-${grouped}` : grouped;
}

/** `1 file`, `3 files`. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** The exact byte count, for tooltips: `1,234,567 bytes`. */
export function exactBytes(bytes: number): string {
  return `${formatCount(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}`;
}

/** A creation date (seconds since the epoch) in UTC, or a note when it is out of range. */
export function formatDate(seconds: number): string {
  const ms = seconds * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return `${seconds} (not a valid date)`;
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** A byte span for tooltips and rows: `[120, 4567)`. */
export function formatSpan(start: number, end: number): string {
  return `[${formatCount(start)}, ${formatCount(end)})`;
}

const HEX = '0123456789abcdef';

/** Up to `max` bytes as hex, with a trailing ellipsis when there are more. */
export function hexPreview(bytes: Uint8Array, max: number): string {
  let out = '';
  const n = Math.min(bytes.length, max);
  for (let i = 0; i < n; i++) out += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return bytes.length > max ? `${out}…` : out;
}
