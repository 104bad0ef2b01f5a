// `torrent-lens create PATH`: makes a .torrent of a file or folder (v1, v2 or hybrid), hashing on every
// core, with a progress bar on standard error when it is a terminal. The file is written in one step
// (a temporary file in the same folder, then put in place), never half.

import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { createTorrent, type CreateOptions, type CreateSummary } from '../../core/create/create';
import { parseSize } from '../../core/create/options';
import { pieceLengthProblem } from '../../core/create/piece-length';
import type { SymlinkPolicy } from '../../core/create/walk';
import { writeFileAtomic } from '../../core/create/write-file';
import type { TorrentVersion } from '../../core/metainfo/types';
import { visibleText } from '../../core/text/display';
import { formatCount, formatSize, plural } from '../../shared/format';
import type { ParsedArgs } from '../args';
import { CliError, type CliIo, type Command, EXIT_OK } from '../command';
import { interruptible } from '../interrupt';
import { ProgressBar, underProgressBar } from '../progress-bar';
import { terminalJson } from '../terminal';

/** Ctrl-C: what a shell reports for a process stopped by SIGINT. */
export const EXIT_CANCELLED = 130;

const SYMLINK_POLICIES: readonly SymlinkPolicy[] = ['skip', 'follow-inside', 'follow', 'error'];

export const createCommand: Command = {
  name: 'create',
  summary: 'make a .torrent of a file or folder (v1, v2 or hybrid)',
  usage: 'create PATH [-o OUT] [--v1|--v2|--hybrid] [--tracker URL]… [--tier] [options]',
  details: [
    'A hybrid torrent (the default) works with v1 and v2 clients. Files go in the order of their names, byte',
    'by byte and folder by folder, so the same files make the same torrent anywhere; with --no-date and',
    '--no-created-by the bytes are the same on every run.',
    '--tier starts a new tier (BEP 12) for the --tracker options after it:',
    '  --tracker A --tracker B --tier --tracker C   makes the tiers [A, B] and [C].',
    'Names starting with a dot are left out unless --hidden; symbolic links are skipped unless --symlinks says',
    'otherwise (follow-inside: links that stay inside PATH; follow: any link; error: stop at the first one).',
    '--exclude takes shell patterns: *.nfo (a name anywhere), sub/*.tmp (a path from the top), **/cache.',
    'The torrent goes to OUT, or NAME.torrent in the current folder; -o - writes it to standard output.',
    'Exit status: 0 when the torrent is written, 2 on bad input or a file that cannot be read, 130 when cancelled.',
  ].join('\n'),
  spec: {
    options: {
      output: {
        type: 'string',
        short: 'o',
        placeholder: 'OUT',
        description: 'where to write the .torrent (default NAME.torrent; - for standard output)',
      },
      force: { type: 'boolean', short: 'f', description: 'overwrite OUT if it exists' },
      v1: { type: 'boolean', description: 'a v1 torrent (BEP 3): what every client reads' },
      v2: { type: 'boolean', description: 'a v2 torrent (BEP 52) only' },
      hybrid: { type: 'boolean', description: 'v1 and v2 in one torrent (the default)' },
      'piece-length': {
        type: 'string',
        placeholder: 'N',
        description: 'bytes per piece, a power of two: 16K to 256M (default: automatic)',
      },
      tracker: { type: 'string', placeholder: 'URL', multiple: true, description: 'an announce URL: http, https, udp, ws or wss' },
      tier: { type: 'boolean', multiple: true, description: 'start a new tier for the --tracker options that follow' },
      'web-seed': { type: 'string', placeholder: 'URL', multiple: true, description: 'a web seed (BEP 19): an http or https URL' },
      private: { type: 'boolean', description: 'private torrent (BEP 27): peers from the trackers only' },
      source: { type: 'string', placeholder: 'S', description: 'the source field, which private trackers ask for' },
      comment: { type: 'string', placeholder: 'C', description: 'a comment' },
      name: { type: 'string', placeholder: 'N', description: "the torrent's name (default: the name of PATH)" },
      exclude: { type: 'string', placeholder: 'GLOB', multiple: true, description: 'leave out paths that match' },
      hidden: { type: 'boolean', description: 'include names that start with a dot' },
      symlinks: { type: 'string', placeholder: 'POLICY', description: 'skip (default), follow-inside, follow or error' },
      'no-date': { type: 'boolean', description: 'leave out the creation date (reproducible output)' },
      'no-created-by': { type: 'boolean', description: 'leave out "created by" (reproducible output)' },
      json: { type: 'boolean', description: 'print a JSON summary instead of text' },
    },
    positionals: ['PATH'],
    required: 1,
  },
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const o = args.options;
    const path = args.positionals[0];
    const toStdout = o.output === '-';
    if (toStdout && o.json === true) throw new CliError("'--json' and '-o -' both want standard output; write the torrent to a file");
    const options: CreateOptions = {
      path,
      version: versionOf(args),
      trackers: tiersOf(args),
      webSeeds: (o['web-seed'] as string[] | undefined) ?? [],
      private: o.private === true,
      source: o.source as string | undefined,
      comment: o.comment as string | undefined,
      name: o.name as string | undefined,
      exclude: (o.exclude as string[] | undefined) ?? [],
      includeHidden: o.hidden === true,
      symlinks: symlinksOf(o.symlinks as string | undefined),
      createdBy: o['no-created-by'] === true ? false : undefined,
      creationDate: o['no-date'] === true ? false : undefined,
    };
    if (o['piece-length'] !== undefined) options.pieceLength = pieceLengthOf(o['piece-length'] as string);
    const output = toStdout ? undefined : resolve((o.output as string | undefined) ?? `${options.name ?? basename(resolve(path))}.torrent`);
    const overwrite = o.force === true;
    // Known before any hashing: an existing file is not overwritten unless asked.
    if (output && !overwrite && existsSync(output)) throw new CliError(`${visibleText(output)} exists already (--force overwrites it)`);

    const bar = new ProgressBar();
    const created = await underProgressBar(bar, async () => {
      const made = await interruptible((signal) => createTorrent({ ...options, signal, onProgress: (p) => bar.update(p) }));
      if (output) writeFileAtomic(output, made.torrent, { overwrite });
      return made;
    });
    if (!created) {
      io.err('cancelled: no torrent written\n');
      return EXIT_CANCELLED;
    }
    const summary = created.summary;
    if (o.json === true) io.out(`${terminalJson({ output: output ?? null, ...summary })}\n`);
    else if (toStdout) {
      io.out(created.torrent);
      io.err(summaryText(summary, undefined));
    } else io.out(summaryText(summary, output));
    return EXIT_OK;
  },
};

function versionOf(args: ParsedArgs): TorrentVersion {
  const chosen = (['v1', 'v2', 'hybrid'] as const).filter((v) => args.options[v] === true);
  if (chosen.length > 1) throw new CliError(`choose one of --v1, --v2 and --hybrid, not ${chosen.map((v) => `--${v}`).join(' and ')}`);
  return chosen[0] ?? 'hybrid';
}

/** The trackers by tier: `--tier` closes the tier so far and opens the next. */
function tiersOf(args: ParsedArgs): string[][] {
  const tiers: string[][] = [[]];
  for (const [name, value] of args.sequence) {
    if (name === 'tier' && tiers[tiers.length - 1].length > 0) tiers.push([]);
    else if (name === 'tracker') tiers[tiers.length - 1].push(value as string);
  }
  return tiers.filter((tier) => tier.length > 0);
}

function symlinksOf(value: string | undefined): SymlinkPolicy {
  if (value === undefined) return 'skip';
  if (!SYMLINK_POLICIES.includes(value as SymlinkPolicy))
    throw new CliError(`option '--symlinks' must be one of ${SYMLINK_POLICIES.join(', ')}, not '${visibleText(value)}'`);
  return value as SymlinkPolicy;
}

function pieceLengthOf(text: string): number {
  const bytes = parseSize(text);
  if (bytes === undefined)
    throw new CliError(`option '--piece-length' needs a size such as 262144, 256K or 4M, not '${visibleText(text)}'`);
  const problem = pieceLengthProblem(bytes);
  if (problem) throw new CliError(`option '--piece-length': ${problem}`);
  return bytes;
}

const VERSION_WORDS: Record<TorrentVersion, string> = { v1: 'v1', v2: 'v2', hybrid: 'hybrid (v1 and v2)' };

function summaryText(s: CreateSummary, output: string | undefined): string {
  const lines = [output ? `Wrote ${visibleText(output)}` : 'Wrote the torrent to standard output'];
  const row = (label: string, value: string) => lines.push(`  ${label.padEnd(10)} ${value}`);
  row('name', visibleText(s.name));
  row('version', VERSION_WORDS[s.version]);
  if (s.infoHash.v1) row('info hash', `v1 ${s.infoHash.v1}`);
  if (s.infoHash.v2) row(s.infoHash.v1 ? '' : 'info hash', `v2 ${s.infoHash.v2}`);
  row(
    'files',
    `${formatCount(s.fileCount)}, ${formatSize(s.totalLength)}${s.skipped.length ? ` (${formatCount(s.skipped.length)} left out)` : ''}`,
  );
  row(
    'pieces',
    `${formatCount(s.pieceCount)} of ${formatSize(s.pieceLength)}${s.padFileCount ? `, ${plural(s.padFileCount, 'pad file')}` : ''}`,
  );
  row('size', `${formatSize(s.torrentLength)} of metainfo, made in ${formatCount(Math.round(s.elapsedMs))} ms`);
  for (const w of s.warnings) lines.push(`  warning: ${visibleText(w.message)}`);
  return `${lines.join('\n')}\n`;
}
