// Collects the diagnostics of one parse, keeping the list short on hostile input: a torrent with
// 100,000 bad paths gets the first few of each kind and a count, not 100,000 messages.

import type { DiagnosticCode } from './codes';
import type { Diagnostic, DiagnosticSeverity } from './types';
import { formatCount } from '../../shared/format';

/** How many diagnostics of one code are listed before the rest are only counted. */
const DEFAULT_DIAGNOSTICS_PER_CODE = 20;

export class DiagnosticLog {
  private readonly kept: Diagnostic[] = [];
  private readonly counts = new Map<DiagnosticCode, { severity: DiagnosticSeverity; count: number }>();

  constructor(private readonly perCode = DEFAULT_DIAGNOSTICS_PER_CODE) {}

  /**
   * Counts one occurrence of `code` and says whether it will be listed. Callers build the message only
   * when it will, so a flood of identical defects costs no strings.
   */
  want(code: DiagnosticCode, severity: DiagnosticSeverity = 'warning'): boolean {
    const entry = this.counts.get(code);
    if (entry === undefined) {
      this.counts.set(code, { severity, count: 1 });
      return true;
    }
    entry.count++;
    return entry.count <= this.perCode;
  }

  /** Adds a diagnostic whose occurrence `want` has already counted. */
  push(severity: DiagnosticSeverity, code: DiagnosticCode, message: string, offset?: number, location?: string): void {
    const diagnostic: Diagnostic = { severity, code, message };
    if (offset !== undefined) diagnostic.offset = offset;
    if (location !== undefined) diagnostic.location = location;
    this.kept.push(diagnostic);
  }

  /** The listed diagnostics, plus one line per code that had more than could be listed. */
  finish(): Diagnostic[] {
    const out = this.kept.slice();
    for (const [code, { severity, count }] of this.counts) {
      if (count > this.perCode) {
        const more = count - this.perCode;
        out.push({
          severity,
          code,
          message: `… and ${formatCount(more)} more like this (${formatCount(count)} in all; only the first ${this.perCode} are listed)`,
        });
      }
    }
    return out;
  }
}
