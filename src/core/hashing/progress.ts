// Progress of a long hash: bytes done of a total, the rate over the last few seconds, and the time left.

export interface HashProgress {
  /** `listing`: finding the files (create) or looking at them (verify); `hashing`: reading and hashing. */
  phase: 'listing' | 'hashing';
  bytesDone: number;
  bytesTotal: number;
  /** Bytes per second over the last few seconds (0 until there is a measure). */
  bytesPerSecond: number;
  /** Seconds left at that rate, when it can be told. */
  etaSeconds?: number;
  /** Milliseconds since the operation started. */
  elapsedMs: number;
}

export type ProgressCallback = (progress: HashProgress) => void;

/** Calls back at most every `intervalMs` (and when the first bytes arrive) with a rate averaged over `windowMs`, and on completion. */
export class ProgressMeter {
  private readonly started = performance.now();
  private lastReport = -Infinity;
  private reportedBytes = 0;
  private readonly samples: { at: number; bytes: number }[] = [];

  constructor(
    private readonly callback: ProgressCallback | undefined,
    private readonly bytesTotal: number,
    private readonly intervalMs = 100,
    private readonly windowMs = 3000,
  ) {}

  /** Reports the listing phase (no bytes yet). */
  listing(): void {
    this.callback?.({ phase: 'listing', bytesDone: 0, bytesTotal: 0, bytesPerSecond: 0, elapsedMs: performance.now() - this.started });
  }

  update(bytesDone: number, force = false): void {
    if (!this.callback) return;
    const now = performance.now();
    this.samples.push({ at: now, bytes: bytesDone });
    while (this.samples.length > 2 && now - this.samples[1].at > this.windowMs) this.samples.shift();
    // The first bytes are reported at once: they show that reading has begun.
    if (!force && now - this.lastReport < this.intervalMs && !(this.reportedBytes === 0 && bytesDone > 0)) return;
    this.lastReport = now;
    this.reportedBytes = bytesDone;
    const first = this.samples[0];
    const seconds = (now - first.at) / 1000;
    const bytesPerSecond = seconds > 0.05 ? (bytesDone - first.bytes) / seconds : 0;
    const left = this.bytesTotal - bytesDone;
    this.callback({
      phase: 'hashing',
      bytesDone,
      bytesTotal: this.bytesTotal,
      bytesPerSecond,
      etaSeconds: bytesPerSecond > 0 ? left / bytesPerSecond : left === 0 ? 0 : undefined,
      elapsedMs: now - this.started,
    });
  }
}
