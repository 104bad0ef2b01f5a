// The progress of a create or verify on standard error, one line redrawn in place, when standard error is
// a terminal (a pipe or a file gets nothing, so logs stay clean); Ctrl-C is interrupt.ts's.

import { HashingError } from '../core/hashing/errors';
import type { HashProgress } from '../core/hashing/progress';
import { visibleText } from '../core/text/display';
import { formatSize, formatTimeLeft } from '../shared/format';
import { CliError } from './command';

const BAR_WIDTH = 24;

export class ProgressBar {
  private shown = false;

  constructor(
    private readonly stream: { isTTY?: boolean; columns?: number; write(text: string): unknown } = process.stderr,
    private readonly verb = 'Hashing',
  ) {}

  /** Whether it draws at all: only on a terminal. */
  get active(): boolean {
    return this.stream.isTTY === true;
  }

  update(progress: HashProgress): void {
    if (!this.active) return;
    // A pseudo-terminal without a size (script(1), some CI runners) says 0 columns.
    this.draw(progressLine(progress, this.verb, this.stream.columns || 80));
  }

  /** Clears the line, so that what follows starts on a clean one. */
  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }

  private draw(line: string): void {
    this.stream.write(`\r\x1b[2K${line}`);
    this.shown = true;
  }
}

/** `Hashing [████████░░░░]  52%  1.04 GiB of 2.00 GiB  812 MiB/s  1 s left`, cut to `columns`. */
/**
 * Runs `work` while `bar` shows its progress and clears the bar after, however it ends. Resolves to undefined
 * when Ctrl-C cancelled it; a hashing failure (a file unreadable, changed…) becomes the command's one-line error.
 */
export async function underProgressBar<T>(bar: ProgressBar, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') return undefined;
    if (error instanceof HashingError) throw new CliError(visibleText(error.message));
    throw error;
  } finally {
    bar.clear();
  }
}

export function progressLine(progress: HashProgress, verb: string, columns: number): string {
  if (progress.phase === 'listing') return 'Looking at the files…'.slice(0, columns - 1);
  const fraction = progress.bytesTotal > 0 ? Math.min(1, progress.bytesDone / progress.bytesTotal) : 1;
  const filled = Math.round(fraction * BAR_WIDTH);
  const parts = [
    `${verb} [${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}]`,
    `${String(Math.floor(fraction * 100)).padStart(3)}%`,
    `${formatSize(progress.bytesDone)} of ${formatSize(progress.bytesTotal)}`,
  ];
  if (progress.bytesPerSecond > 0) parts.push(`${formatSize(progress.bytesPerSecond)}/s`);
  if (progress.etaSeconds !== undefined && progress.bytesDone < progress.bytesTotal)
    parts.push(`${formatTimeLeft(progress.etaSeconds)} left`);
  return parts.join('  ').slice(0, Math.max(10, columns - 1));
}
