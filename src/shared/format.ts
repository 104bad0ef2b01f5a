// How Torrent Lens words numbers, sizes, dates and errors, in the editor, the panels, the CLI and the logs.
// Pure and dependency-free, so every layer (and the webviews) uses the same words. Independent of the
// locale on purpose: a process's first toLocaleString loads ICU's locale data (about 10 ms in the CLI).

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

/** An integer with thousands separators: `1,234,567`. */
export function formatCount(value: number | bigint): string {
  const text = String(value);
  const negative = text.startsWith('-');
  const digits = negative ? text.slice(1) : text;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return negative ? `-${grouped}` : grouped;
}

/**
 * A span of time in seconds for people: `45 s`, `30 min`, `2.5 h`, `12 d`, with thousands separators
 * however long (a tracker may say anything).
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (Math.abs(seconds) < 120) return `${formatCount(Math.round(seconds))} s`;
  const minutes = seconds / 60;
  if (Math.abs(minutes) < 120) return `${formatCount(Math.round(minutes))} min`;
  const hours = minutes / 60;
  if (Math.abs(hours) < 48) return `${hours.toFixed(1).replace(/\.0$/, '')} h`;
  return `${formatCount(Math.round(hours / 24))} d`;
}

/** Time left of a run, to the second: `45 s`, `2 min 5 s`, `1 h 3 min` (at least 1 s while anything is left). */
export function formatTimeLeft(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${formatCount(Math.floor(s / 3600))} h ${Math.floor((s % 3600) / 60)} min`;
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

/** A byte span `[start, end)`: `[120, 4,567)`. */
export function formatSpan(start: number, end: number): string {
  return `[${formatCount(start)}, ${formatCount(end)})`;
}

/** The message of anything thrown: an Error's message, or the value as text. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
