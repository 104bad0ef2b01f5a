// Summaries and tables: every figure is a median with its min and max over the runs.

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarise(values: readonly number[]): Summary {
  if (values.length === 0) return { median: NaN, min: NaN, max: NaN, runs: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
}

/** Milliseconds with sensible precision: 0.062, 1.84, 71.3, 1,806. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (value < 1) return value.toFixed(3);
  if (value < 10) return value.toFixed(2);
  if (value < 1000) return value.toFixed(1);
  return Math.round(value).toLocaleString('en-US');
}

export function msSummary(s: Summary): string {
  if (s.runs === 0) return '–';
  return s.runs === 1 ? `${ms(s.median)} ms` : `${ms(s.median)} ms (${ms(s.min)}–${ms(s.max)})`;
}

export function bytes(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const sign = value < 0 ? '-' : '';
  const v = Math.abs(value);
  if (v < 1024) return `${sign}${v} B`;
  if (v < 1024 * 1024) return `${sign}${(v / 1024).toFixed(1)} KiB`;
  if (v < 1024 ** 3) return `${sign}${(v / 1024 / 1024).toFixed(1)} MiB`;
  return `${sign}${(v / 1024 ** 3).toFixed(1)} GiB`;
}

export function bytesSummary(s: Summary): string {
  if (s.runs === 0) return '–';
  return s.runs === 1 || s.min === s.max ? bytes(s.median) : `${bytes(s.median)} (${bytes(s.min)}–${bytes(s.max)})`;
}

/** `12.3×` for how many times `reference` is bigger than `value`. */
export function ratio(value: number, reference: number): string {
  if (!Number.isFinite(value) || !Number.isFinite(reference) || value <= 0) return '–';
  const r = reference / value;
  return r >= 100 ? `${Math.round(r)}×` : r >= 10 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`;
}

/** A Markdown table (readable as plain text too), columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

export interface Target {
  section: string;
  what: string;
  measured: string;
  met: boolean | undefined;
}

export function verdict(met: boolean | undefined): string {
  return met === undefined ? 'not measured' : met ? 'met' : 'MISSED';
}
