// `torrent-lens announce FILE` and `torrent-lens scrape FILE`: ask a torrent's trackers, all at once, and
// print what each said, as a table or as JSON.

import type { Metainfo } from '../../core/metainfo/types';
import { Secrets } from '../../core/privacy/secrets';
import { visibleText } from '../../core/text/display';
import {
  announceAll,
  announceHashes,
  announceReportJson,
  resultMessage,
  scrapeAll,
  scrapeReportJson,
  STATUS_LABELS,
  TRACKER_OPTION_LIMITS,
  trackerTargets,
  unsupportedReason,
  validateTrackerOptions,
  type AnnounceEventMode,
  type AnnounceOptions,
  type AnnounceResult,
  type InfoHashTarget,
  type ScrapeResult,
  type TrackerResult,
  type TrackerTarget,
} from '../../core/tracker';
import { formatCount, plural } from '../../shared/format';
import { interruptible } from '../interrupt';
import type { CommandSpec, ParsedArgs } from '../args';
import { CliError, type CliIo, type Command, EXIT_NO_ANSWER, EXIT_OK } from '../command';
import { displayPath, loadTorrent } from '../read-torrent';
import { terminalJson } from '../terminal';

const EVENTS: readonly AnnounceEventMode[] = ['started-then-stopped', 'started', 'stopped', 'completed', 'none'];

/** An option's range as the tracker core bounds it: `1 to 600,000`. */
function range(option: keyof typeof TRACKER_OPTION_LIMITS): string {
  const limit = TRACKER_OPTION_LIMITS[option];
  return `${formatCount(limit.min)} to ${formatCount(limit.max)}`;
}

const sharedOptions: CommandSpec['options'] = {
  tracker: { type: 'string', placeholder: 'URL', multiple: true, description: "ask this tracker instead of the torrent's trackers" },
  json: { type: 'boolean', description: 'print one JSON object instead of a table' },
  timeout: {
    type: 'integer',
    placeholder: 'MS',
    description: `give each tracker this long to answer, in milliseconds: ${range('timeoutMs')}, default 10,000`,
  },
  'udp-retry': {
    type: 'integer',
    placeholder: 'MS',
    description: `first UDP retransmission timeout in milliseconds, doubled on each retry: ${range('udpRetryTimeoutMs')}, default 1,000`,
  },
  'show-secrets': { type: 'boolean', description: 'show tracker passkeys and other secrets in URLs' },
};

export const announceCommand: Command = {
  name: 'announce',
  summary: "announce to the torrent's trackers (all at once) and show what each answers",
  usage: 'announce FILE [--tracker URL] [--json] [options]',
  details: [
    'Announcing tells each tracker your IP address, as a BitTorrent client would.',
    'By default an announce is polite: event=started, then event=stopped so the tracker forgets you again,',
    "with left = the torrent's total size (you have nothing). A hybrid torrent is announced under its v1 hash",
    'and its truncated v2 hash, each with its own result. Tiers are numbered from 1 in the table, from 0 in JSON.',
    `--event: ${EVENTS.join(', ')}.`,
    'Exit status: 0 when at least one tracker answered, 1 when none did, 2 on bad input or usage.',
  ].join('\n'),
  spec: {
    options: {
      ...sharedOptions,
      numwant: { type: 'integer', placeholder: 'N', description: `ask for this many peers: ${range('numwant')}, default 50` },
      port: { type: 'integer', placeholder: 'P', description: `the port to announce: ${range('port')}, default 6881` },
      event: { type: 'string', placeholder: 'E', description: 'started-then-stopped (default), started, stopped, completed or none' },
      left: { type: 'integer', placeholder: 'BYTES', description: 'bytes left to download (default: the total size)' },
    },
    positionals: ['FILE'],
    required: 1,
  },
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const event = (args.options.event as string | undefined) ?? 'started-then-stopped';
    if (!EVENTS.includes(event as AnnounceEventMode))
      throw new CliError(`option '--event' must be one of ${EVENTS.join(', ')}, not '${visibleText(event)}'`);
    const { file, metainfo, trackers, hashes, secrets, common } = await prepare(args, {
      numwant: args.options.numwant as number | undefined,
      port: args.options.port as number | undefined,
      left: args.options.left as number | undefined,
    });
    // Given `secrets`, the run hands back its results redacted through them (nothing is, with --show-secrets).
    const results = await interruptible((signal) =>
      announceAll(trackers, hashes, {
        ...common,
        signal,
        event: event as AnnounceEventMode,
        left: common.left ?? metainfo.totalLength,
        secrets,
      }),
    );
    if (args.options.json === true) io.out(`${terminalJson(announceReportJson(metainfo.infoHash, results))}\n`);
    else io.out(announceTable(file, metainfo, results, event as AnnounceEventMode));
    return results.some((r) => r.ok) ? EXIT_OK : EXIT_NO_ANSWER;
  },
};

export const scrapeCommand: Command = {
  name: 'scrape',
  summary: "scrape the torrent's trackers (all at once): seeders, leechers, downloads",
  usage: 'scrape FILE [--tracker URL] [--json] [options]',
  details: [
    'A scrape asks for counts only; it does not add you to the swarm. HTTP trackers are scraped at the URL made',
    'by replacing "announce" in the last path segment with "scrape" (BEP 48); a tracker without one says so.',
    'JSON has one result per tracker and info hash. Tiers are numbered from 1 in the table, from 0 in JSON.',
    'Exit status: 0 when at least one tracker answered, 1 when none did, 2 on bad input or usage.',
  ].join('\n'),
  spec: { options: sharedOptions, positionals: ['FILE'], required: 1 },
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const { file, metainfo, trackers, hashes, secrets, common } = await prepare(args, {});
    const results = await interruptible((signal) => scrapeAll(trackers, hashes, { ...common, signal, secrets }));
    if (args.options.json === true) io.out(`${terminalJson(scrapeReportJson(metainfo.infoHash, results))}\n`);
    else io.out(scrapeTable(file, metainfo, results));
    return results.some((r) => r.ok) ? EXIT_OK : EXIT_NO_ANSWER;
  },
};

interface Prepared {
  file: string;
  metainfo: Metainfo;
  trackers: TrackerTarget[];
  hashes: InfoHashTarget[];
  /** The torrent's secrets (and those of the trackers given with --tracker), shown with --show-secrets. */
  secrets: Secrets;
  common: Pick<AnnounceOptions, 'timeoutMs' | 'udpRetryTimeoutMs' | 'numwant' | 'port' | 'left'>;
}

/** The command-line option of each tracker option it sets. */
const OPTION_FLAGS: Partial<Record<keyof AnnounceOptions, string>> = {
  timeoutMs: 'timeout',
  udpRetryTimeoutMs: 'udp-retry',
  numwant: 'numwant',
  port: 'port',
  left: 'left',
};

/** The options checked against the tracker core's limits: the first out of range is a usage error naming it. */
function checkedOptions(options: Prepared['common']): Prepared['common'] {
  for (const problem of validateTrackerOptions(options)) {
    const flag = OPTION_FLAGS[problem.option];
    const limit = TRACKER_OPTION_LIMITS[problem.option as keyof typeof TRACKER_OPTION_LIMITS];
    if (!flag || !limit) continue;
    const unit = 'unit' in limit ? ` ${limit.unit}` : '';
    throw new CliError(
      `option '--${flag}' must be a whole number from ${formatCount(limit.min)} to ${formatCount(limit.max)}${unit}, not ${formatCount(options[problem.option as keyof Prepared['common']]!)}`,
    );
  }
  return options;
}

async function prepare(args: ParsedArgs, announce: Pick<AnnounceOptions, 'numwant' | 'port' | 'left'>): Promise<Prepared> {
  const file = args.positionals[0];
  const showSecrets = args.options['show-secrets'] === true;
  const common = checkedOptions({
    timeoutMs: args.options.timeout as number | undefined,
    udpRetryTimeoutMs: args.options['udp-retry'] as number | undefined,
    ...announce,
  });
  const metainfo = await loadTorrent(file);
  const secrets = Secrets.forTorrent(metainfo, { show: showSecrets });
  const hashes = announceHashes(metainfo.infoHash);
  const given = (args.options.tracker as string[] | undefined) ?? [];
  let trackers: TrackerTarget[];
  if (given.length > 0) {
    const listed = trackerTargets(metainfo.trackers);
    // A tracker given here may carry a secret of its own: it is hidden like the torrent's.
    for (const url of given) secrets.learnUrl(url);
    trackers = given.map((url) => {
      const problem = unsupportedReason(url);
      if (problem) throw new CliError(`option '--tracker' ${visibleText(secrets.redactUrl(url))}: ${problem}`);
      return { url, tier: listed.find((t) => t.url === url)?.tier ?? 0 };
    });
  } else {
    trackers = trackerTargets(metainfo.trackers);
    if (trackers.length === 0)
      throw new CliError(
        `${displayPath(file)}: the torrent lists no trackers (it relies on DHT or web seeds); name one with --tracker URL`,
      );
  }
  return { file, metainfo, trackers, hashes, secrets, common };
}

// -------------------------------------------------------------------------------------------------------
// Tables

const dash = (value: number | string | undefined) => (value === undefined ? '-' : typeof value === 'number' ? formatCount(value) : value);

export function table(header: string[], rows: string[][], rightAligned: Set<number>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : rightAligned.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

function hashLine(metainfo: Metainfo): string {
  const parts: string[] = [];
  if (metainfo.infoHash.v1) parts.push(`v1 ${metainfo.infoHash.v1}`);
  if (metainfo.infoHash.v2Truncated) parts.push(`v2 ${metainfo.infoHash.v2Truncated} (truncated)`);
  return parts.join(', ');
}

function detailLines(result: TrackerResult, indent: string): string[] {
  const lines: string[] = [];
  const message = resultMessage(result);
  if (message) for (const part of message.split('; ')) lines.push(`${indent}${visibleText(part)}`);
  return lines;
}

const MAX_PEERS_SHOWN = 10;

export function announceTable(file: string, metainfo: Metainfo, unordered: AnnounceResult[], event: AnnounceEventMode): string {
  const results = [...unordered].sort((a, b) => a.tier - b.tier);
  const working = results.filter((r) => r.ok).length;
  const twoHashes = new Set(results.map((r) => r.hashKind)).size > 1;
  const header = ['  Status', ...(twoHashes ? ['Hash'] : []), 'Seeders', 'Leechers', 'Downloaded', 'Peers', 'Interval', 'Time', 'Tracker'];
  const numeric = new Set(twoHashes ? [2, 3, 4, 5, 7] : [1, 2, 3, 4, 6]);
  const rows = results.map((r) => [
    `  ${STATUS_LABELS[r.status]}`,
    ...(twoHashes ? [r.hashKind] : []),
    dash(r.complete),
    dash(r.incomplete),
    dash(r.downloaded),
    r.ok ? formatCount(r.peers.length) : '-',
    r.interval === undefined ? '-' : `${formatCount(r.interval)}${r.minInterval !== undefined ? `/${formatCount(r.minInterval)}` : ''} s`,
    r.status === 'not-contacted' ? '-' : `${formatCount(r.durationMs)} ms`,
    visibleText(r.tracker),
  ]);
  const lines = table(header, rows, numeric);
  const out = [
    `Announce: ${visibleText(metainfo.name.text)} (${displayPath(file)})`,
    `Info hash: ${hashLine(metainfo)}`,
    `Event: ${event === 'started-then-stopped' ? 'started, then stopped (the trackers were told to forget this announce)' : event}`,
    '',
    lines[0],
  ];
  let tier = -1;
  results.forEach((r, i) => {
    if (r.tier !== tier) {
      tier = r.tier;
      out.push(`Tier ${tier + 1}`);
    }
    out.push(lines[i + 1]);
    out.push(...detailLines(r, '      '));
    if (r.externalIp) out.push(`      external IP: ${r.externalIp}`);
    if (r.trackerId) out.push(`      tracker id: ${visibleText(r.trackerId)}`);
    if (r.peers.length > 0) {
      const shown = r.peers.slice(0, MAX_PEERS_SHOWN).map((peer) => {
        const address = peer.ip.includes(':') ? `[${visibleText(peer.ip)}]:${peer.port}` : `${visibleText(peer.ip)}:${peer.port}`;
        return peer.client ? `${address} (${visibleText(peer.client)})` : address;
      });
      const more = r.peers.length > MAX_PEERS_SHOWN ? `, … ${formatCount(r.peers.length - MAX_PEERS_SHOWN)} more (--json lists all)` : '';
      out.push(`      peers: ${shown.join(', ')}${more}`);
    }
  });
  out.push('', `${formatCount(working)} of ${plural(results.length, 'announce')} answered.`, '');
  return out.join('\n');
}

export function scrapeTable(file: string, metainfo: Metainfo, unordered: ScrapeResult[]): string {
  const results = [...unordered].sort((a, b) => a.tier - b.tier);
  const working = results.filter((r) => r.ok).length;
  const twoHashes = new Set(results.flatMap((r) => r.entries.map((e) => e.hashKind))).size > 1;
  const header = ['  Status', ...(twoHashes ? ['Hash'] : []), 'Seeders', 'Leechers', 'Downloaded', 'Time', 'Tracker'];
  const numeric = new Set(twoHashes ? [2, 3, 4, 5] : [1, 2, 3, 4]);
  const rows: string[][] = [];
  const owners: ScrapeResult[] = [];
  for (const r of results) {
    for (const entry of r.entries) {
      const status = r.ok && !entry.found ? 'unknown torrent' : STATUS_LABELS[r.status];
      rows.push([
        `  ${status}`,
        ...(twoHashes ? [entry.hashKind] : []),
        dash(entry.complete),
        dash(entry.incomplete),
        dash(entry.downloaded),
        r.status === 'not-contacted' ? '-' : `${formatCount(r.durationMs)} ms`,
        visibleText(r.tracker),
      ]);
      owners.push(r);
    }
  }
  const lines = table(header, rows, numeric);
  const out = [`Scrape: ${visibleText(metainfo.name.text)} (${displayPath(file)})`, `Info hash: ${hashLine(metainfo)}`, '', lines[0]];
  let tier = -1;
  rows.forEach((_, i) => {
    if (owners[i].tier !== tier) {
      tier = owners[i].tier;
      out.push(`Tier ${tier + 1}`);
    }
    out.push(lines[i + 1]);
    // The tracker's messages once, under its last row.
    if (owners[i + 1] !== owners[i]) out.push(...detailLines(owners[i], '      '));
  });
  out.push('', `${formatCount(working)} of ${plural(results.length, 'tracker')} answered.`, '');
  return out.join('\n');
}
