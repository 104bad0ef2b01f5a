// Section 3: announce and scrape to N trackers on 127.0.0.1 at once, some slow, some dead. Our client's
// whole run against the slowest tracker alone, the sum of every tracker's time (what one-after-another
// would cost), and npm bittorrent-tracker's Client doing the same announces and scrapes.
import { randomBytes } from 'node:crypto';
import { Client } from 'bittorrent-tracker';
import {
  announceAll,
  announceToTracker,
  scrapeAll,
  scrapeTracker,
  UdpConnectionCache,
  type TrackerTarget,
} from '../../src/core/tracker/index';
import { startBenchTrackers, type BenchTracker, type TrackerSpec } from '../lib/trackers';
import { ms, msSummary, summarise, table, type Summary, type Target } from '../lib/stats';

/** Our per-tracker deadline in the benchmark (the product's default is 10 s; users set it). */
export const TIMEOUT_MS = 1500;
const INFO_HASH = 'c12fe1c06bba254a9dc9f519b335aa7c1367a88a';

export interface TrackerRunFigures {
  n: number;
  live: number;
  dead: number;
  slowestDelayMs: number;
  kind: 'announce' | 'scrape';
  /** Our whole run: every tracker answered or timed out. */
  oursTotal: Summary;
  /** Our run until the last live tracker had answered. */
  oursLastLive: Summary;
  /** Our client on the slowest live tracker alone. */
  slowestAlone: Summary;
  /** The sum of every tracker's own time in our runs: a one-at-a-time client's cost. */
  sumOfTrackers: Summary;
  /** bittorrent-tracker's Client until the last live tracker had answered. */
  otherLastLive: Summary;
  /** bittorrent-tracker's Client until every tracker answered or failed (one run, announce ×10 only). */
  otherWhole?: number;
  /** Trackers that answered, per client (median). */
  oursAnswered: number;
  otherAnswered: number;
}

/**
 * The tracker mix for N: most answer within 50 ms, a fifth slowly (up to 400 ms), a tenth never;
 * HTTP and UDP alternate. N = 1 is one slow tracker.
 */
export function trackerMix(n: number): TrackerSpec[] {
  if (n === 1) return [{ protocol: 'http', delay: 400 }];
  const dead = Math.max(1, Math.round(n / 10));
  const slow = Math.max(1, Math.round(n / 5));
  const specs: TrackerSpec[] = [];
  for (let i = 0; i < n; i++) {
    const protocol = i % 2 === 0 ? 'http' : 'udp';
    if (i < dead) specs.push({ protocol, delay: 'never' });
    else if (i < dead + slow) specs.push({ protocol, delay: Math.round(100 + (300 * (i - dead + 1)) / slow) });
    else specs.push({ protocol, delay: (i * 7) % 50 });
  }
  return specs;
}

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await work();
  return [performance.now() - started, value];
}

const hash = { hex: INFO_HASH, kind: 'v1' as const };

async function oursOnce(
  kind: 'announce' | 'scrape',
  trackers: BenchTracker[],
): Promise<{ total: number; lastLive: number; sum: number; answered: number }> {
  const targets: TrackerTarget[] = trackers.map((t) => ({ url: t.url, tier: 0 }));
  const live = new Set(trackers.filter((t) => t.delay !== 'never').map((t) => t.url));
  const options = { timeoutMs: TIMEOUT_MS, udpConnections: new UdpConnectionCache() };
  const started = performance.now();
  let lastLive = 0;
  const seen = (url: string, ok: boolean) => {
    if (ok && live.has(url)) lastLive = Math.max(lastLive, performance.now() - started);
  };
  const results =
    kind === 'announce'
      ? await announceAll(targets, [hash], { ...options, event: 'started' }, (r) => seen(r.tracker, r.ok))
      : await scrapeAll(targets, [hash], options, (r) => seen(r.tracker, r.ok));
  const total = performance.now() - started;
  return { total, lastLive, sum: results.reduce((n, r) => n + r.durationMs, 0), answered: results.filter((r) => r.ok).length };
}

async function slowestAloneOnce(kind: 'announce' | 'scrape', tracker: BenchTracker): Promise<number> {
  const target = { url: tracker.url, tier: 0 };
  const options = { timeoutMs: TIMEOUT_MS, udpConnections: new UdpConnectionCache() };
  const [took, result] = await timed<{ ok: boolean; error?: string }>(() =>
    kind === 'announce' ? announceToTracker(target, hash, { ...options, event: 'started' }) : scrapeTracker(target, [hash], options),
  );
  if (!result.ok) throw new Error(`the slowest tracker did not answer alone: ${result.error}`);
  return took;
}

/** bittorrent-tracker's Client for the bench torrent and `trackers`, with a fresh peer id. */
function otherClient(trackers: BenchTracker[]): Client {
  return new Client({ infoHash: INFO_HASH, peerId: randomBytes(20).toString('hex'), announce: trackers.map((t) => t.url), port: 6881 });
}

/** bittorrent-tracker's Client until every live tracker answered (its deadline is a fixed 15 s, so dead ones are not waited for). */
function otherOnce(kind: 'announce' | 'scrape', trackers: BenchTracker[]): Promise<{ lastLive: number; answered: number }> {
  const live = new Set(trackers.filter((t) => t.delay !== 'never').map((t) => t.url));
  return new Promise((resolve, reject) => {
    const answered = new Set<string>();
    const started = performance.now();
    const client = otherClient(trackers);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      const lastLive = performance.now() - started;
      client.destroy();
      if (error) reject(error);
      else resolve({ lastLive, answered: answered.size });
    };
    const timer = setTimeout(
      () => finish(new Error(`bittorrent-tracker: only ${answered.size} of ${live.size} live trackers answered within 10 s`)),
      10_000,
    );
    const onAnswer = (data: { announce: string }) => {
      if (live.has(data.announce)) answered.add(data.announce);
      if (answered.size === live.size) finish();
    };
    client.on(kind === 'announce' ? 'update' : 'scrape', onAnswer);
    client.on('warning', () => {});
    client.on('error', () => {});
    if (kind === 'announce') client.start();
    else client.scrape();
  });
}

/**
 * bittorrent-tracker's Client until every tracker has answered or failed: its deadline is a fixed 15 s
 * (REQUEST_TIMEOUT in lib/common-node.js), not an option, so this is measured once.
 */
function otherWholeOnce(trackers: BenchTracker[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const done = new Set<string>();
    const started = performance.now();
    const client = otherClient(trackers);
    const timer = setTimeout(() => {
      client.destroy();
      reject(new Error(`bittorrent-tracker: ${trackers.length - done.size} trackers neither answered nor failed within 30 s`));
    }, 30_000);
    const settle = (url: string | undefined) => {
      if (url) done.add(url);
      if (done.size === trackers.length) {
        clearTimeout(timer);
        const took = performance.now() - started;
        client.destroy();
        resolve(took);
      }
    };
    client.on('update', (data: { announce: string }) => settle(data.announce));
    // Warnings do not name the tracker; every tracker that has not answered is one that failed.
    let failures = 0;
    client.on('warning', () => {
      failures++;
      const dead = trackers.filter((t) => t.delay === 'never').length;
      if (failures === dead) for (const t of trackers) if (t.delay === 'never') settle(t.url);
    });
    client.on('error', () => {});
    client.start();
  });
}

export async function runTrackers(ns: number[], runs: number, log: (line: string) => void): Promise<TrackerRunFigures[]> {
  const figures: TrackerRunFigures[] = [];
  for (const n of ns) {
    const specs = trackerMix(n);
    const bench = await startBenchTrackers(specs);
    try {
      const liveTrackers = bench.trackers.filter((t) => t.delay !== 'never');
      const slowest = liveTrackers.reduce((a, b) => ((a.delay as number) >= (b.delay as number) ? a : b));
      for (const kind of ['announce', 'scrape'] as const) {
        log(`trackers: ${kind} to ${n}`);
        const ours: Awaited<ReturnType<typeof oursOnce>>[] = [];
        const alone: number[] = [];
        const other: Awaited<ReturnType<typeof otherOnce>>[] = [];
        for (let i = 0; i < runs; i++) {
          alone.push(await slowestAloneOnce(kind, slowest));
          ours.push(await oursOnce(kind, bench.trackers));
          other.push(await otherOnce(kind, bench.trackers));
        }
        figures.push({
          n,
          live: liveTrackers.length,
          dead: n - liveTrackers.length,
          slowestDelayMs: slowest.delay as number,
          kind,
          oursTotal: summarise(ours.map((o) => o.total)),
          oursLastLive: summarise(ours.map((o) => o.lastLive)),
          slowestAlone: summarise(alone),
          sumOfTrackers: summarise(ours.map((o) => o.sum)),
          otherLastLive: summarise(other.map((o) => o.lastLive)),
          otherWhole: kind === 'announce' && n === 10 ? await otherWholeOnce(bench.trackers) : undefined,
          oursAnswered: summarise(ours.map((o) => o.answered)).median,
          otherAnswered: summarise(other.map((o) => o.answered)).median,
        });
      }
    } finally {
      await bench.stop();
    }
  }
  return figures;
}

export function trackerTables(figures: TrackerRunFigures[]): string {
  const rows = figures.map((f) => [
    `${f.kind} ×${f.n}`,
    `${f.live} live / ${f.dead} dead`,
    `${f.slowestDelayMs} ms`,
    msSummary(f.slowestAlone),
    msSummary(f.oursLastLive),
    msSummary(f.oursTotal),
    `${ms(f.sumOfTrackers.median)} ms`,
    msSummary(f.otherLastLive),
    `${f.oursAnswered} / ${f.otherAnswered}`,
  ]);
  const whole = figures.find((f) => f.otherWhole !== undefined);
  const note = whole
    ? `\n\nbittorrent-tracker's whole run (every tracker answered or failed), announce ×${whole.n}, one run: ${ms(whole.otherWhole!)} ms, against ${ms(whole.oursTotal.median)} ms for ours: its per-request deadline is a fixed 15 s.`
    : '';
  return (
    table(
      [
        'run',
        'trackers',
        'slowest delay',
        'slowest alone',
        'ours: last live answer',
        'ours: whole run',
        'sum of trackers',
        'bittorrent-tracker: last live answer',
        'answered (ours / b-t)',
      ],
      rows,
    ) + note
  );
}

export function trackerTargets(figures: TrackerRunFigures[]): Target[] {
  return figures.map((f) => {
    const allowance = 1.1 * f.slowestAlone.median + (f.dead > 0 ? TIMEOUT_MS : 0);
    return {
      section: 'trackers',
      what: `${f.kind} ×${f.n}: whole run ≤ 1.1 × slowest alone${f.dead > 0 ? ` + ${TIMEOUT_MS} ms timeout` : ''}, never the sum`,
      measured: `${ms(f.oursTotal.median)} ms ≤ ${ms(allowance)} ms (sum ${ms(f.sumOfTrackers.median)} ms)`,
      met: f.oursTotal.median <= allowance && (f.n === 1 || f.oursTotal.median < f.sumOfTrackers.median),
    };
  });
}
