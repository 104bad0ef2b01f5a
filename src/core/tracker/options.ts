// Bounds of the tracker options, checked before anything is sent. The CLI and the settings check what the
// user gave with `validateTrackerOptions` and turn each problem into a usage error in their own words; a
// run given an option out of range refuses it (`TrackerOptionsError`) rather than misbehave: a duration
// beyond what a timer holds fires after 1 ms, a port beyond 16 bits does not fit a UDP packet.
import type { AnnounceEventMode, AnnounceOptions } from './types';

/** The longest delay a Node timer holds; a longer one fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay for setTimeout: never negative, never beyond what a timer holds. */
export function timerDelay(ms: number): number {
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), MAX_TIMER_MS) : MAX_TIMER_MS;
}

interface Limit {
  min: number;
  max: number;
  /** Said after the range, e.g. `milliseconds`. */
  unit?: string;
}

/** Whole numbers from `min` to `max`, for every numeric option. */
export const TRACKER_OPTION_LIMITS = {
  /** Ten minutes: far longer than any tracker worth asking takes. */
  timeoutMs: { min: 1, max: 600_000, unit: 'milliseconds' },
  udpRetryTimeoutMs: { min: 1, max: 600_000, unit: 'milliseconds' },
  /** From 1 KiB (no useful answer is smaller) to 256 MiB. */
  maxResponseBytes: { min: 1024, max: 256 * 1024 * 1024, unit: 'bytes' },
  maxRedirects: { min: 0, max: 20 },
  concurrency: { min: 1, max: 1024 },
  port: { min: 1, max: 65_535 },
  /** More peers than any tracker returns for one announce. */
  numwant: { min: 0, max: 10_000 },
  uploaded: { min: 0, max: Number.MAX_SAFE_INTEGER, unit: 'bytes' },
  downloaded: { min: 0, max: Number.MAX_SAFE_INTEGER, unit: 'bytes' },
  left: { min: 0, max: Number.MAX_SAFE_INTEGER, unit: 'bytes' },
  key: { min: 0, max: 0xffff_ffff },
} as const satisfies Record<string, Limit>;

const EVENTS: readonly AnnounceEventMode[] = ['started-then-stopped', 'started', 'stopped', 'completed', 'none'];
const MAX_USER_AGENT = 512;
const MAX_TRACKER_ID = 1024;

/** An option out of range: which (by its name in `AnnounceOptions`) and why, e.g. `must be a whole number from 1 to 65535, not 0`. */
export interface TrackerOptionProblem {
  option: keyof AnnounceOptions;
  message: string;
}

/** Every option out of range, in a fixed order; empty when all are fine. Options not given are not checked. */
export function validateTrackerOptions(options: AnnounceOptions): TrackerOptionProblem[] {
  const problems: TrackerOptionProblem[] = [];
  for (const [option, limit] of Object.entries(TRACKER_OPTION_LIMITS) as [keyof typeof TRACKER_OPTION_LIMITS, Limit][]) {
    const value = options[option];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < limit.min || value > limit.max)
      problems.push({
        option,
        message: `must be a whole number from ${limit.min} to ${limit.max}${limit.unit ? ` (${limit.unit})` : ''}, not ${String(value)}`,
      });
  }
  if (options.peerId !== undefined && options.peerId.length !== 20)
    problems.push({ option: 'peerId', message: `must be 20 bytes, not ${options.peerId.length}` });
  if (options.event !== undefined && !EVENTS.includes(options.event))
    problems.push({ option: 'event', message: `must be one of ${EVENTS.join(', ')}, not ${String(options.event)}` });
  // A header value: anything else is refused by Node, or worse, read by the server as another header.
  if (options.userAgent !== undefined && !new RegExp(`^[\\x20-\\x7e]{1,${MAX_USER_AGENT}}$`).test(options.userAgent))
    problems.push({ option: 'userAgent', message: `must be 1 to ${MAX_USER_AGENT} printable ASCII characters` });
  if (options.trackerId !== undefined && options.trackerId.length > MAX_TRACKER_ID)
    problems.push({ option: 'trackerId', message: `must be at most ${MAX_TRACKER_ID} characters, not ${options.trackerId.length}` });
  return problems;
}

/** A run was given an option out of range: `option` names it, the message says the range. */
export class TrackerOptionsError extends RangeError {
  override readonly name = 'TrackerOptionsError';
  constructor(
    readonly option: keyof AnnounceOptions,
    message: string,
  ) {
    super(`${option} ${message}`);
  }
}

/** Throws a TrackerOptionsError for the first option out of range. */
export function checkTrackerOptions(options: AnnounceOptions): void {
  const [problem] = validateTrackerOptions(options);
  if (problem) throw new TrackerOptionsError(problem.option, problem.message);
}
