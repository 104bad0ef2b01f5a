// How a run's rows are counted and worded: by the results panel's header and by the progress
// notification, so both say the same. "12 worked, 11 answered with an error, 2 timed out, 1 unreachable".
import { formatCount } from './format';
import type { RowStatus } from './protocol/trackers';

export type OutcomeCounts = Record<RowStatus, number>;

/** How many rows have each status. */
export function countOutcomes(rows: readonly { status: RowStatus }[]): OutcomeCounts {
  const counts: OutcomeCounts = {
    working: 0,
    'tracker-error': 0,
    'timed-out': 0,
    unreachable: 0,
    'not-contacted': 0,
    cancelled: 0,
    pending: 0,
    waiting: 0,
  };
  for (const row of rows) counts[row.status]++;
  return counts;
}

/** The words for each status, in the order they are said: answers first, then what is still to come. */
const WORDS: readonly [RowStatus, string][] = [
  ['working', 'worked'],
  ['tracker-error', 'answered with an error'],
  ['timed-out', 'timed out'],
  ['unreachable', 'unreachable'],
  ['not-contacted', 'not contacted'],
  ['cancelled', 'cancelled'],
  ['pending', 'being asked'],
  ['waiting', 'waiting for a slot'],
];

/** Each status that some row has, with its words: `{ status: 'working', text: '12 worked' }`. */
export function outcomeParts(counts: OutcomeCounts): { status: RowStatus; text: string }[] {
  return WORDS.filter(([status]) => counts[status] > 0).map(([status, words]) => ({
    status,
    text: `${formatCount(counts[status])} ${words}`,
  }));
}

/** `12 worked, 11 answered with an error, 2 timed out`; `nothing yet` when there are no rows. */
export function outcomeSummary(counts: OutcomeCounts): string {
  const parts = outcomeParts(counts);
  return parts.length ? parts.map((p) => p.text).join(', ') : 'nothing yet';
}

/** How many rows are done (answered, failed, not contacted or cancelled). */
export function doneCount(counts: OutcomeCounts): number {
  return Object.values(counts).reduce((a, b) => a + b, 0) - counts.pending - counts.waiting;
}
