// `torrent-lens magnet URI`: what a magnet link says, then its metadata fetched from the swarm (the link's peers,
// the peers its trackers return, peers given with --peer) and written as a .torrent.

import { existsSync, writeFileSync } from 'node:fs';
import type { MagnetLink } from '../../core/magnet/parse';
import { magnetSecrets, magnetSummary } from '../../core/magnet/summary';
import { metadataResultJson, type MagnetTorrent, type MetadataResult } from '../../core/peer';
import type { Secrets } from '../../core/privacy/secrets';
import { redactResult } from '../../core/tracker';
import { visibleText } from '../../core/text/display';
import { errorText, formatCount, formatSize, plural } from '../../shared/format';
import type { ParsedArgs } from '../args';
import { CliError, EXIT_NO_ANSWER, EXIT_OK, type CliIo, type Command } from '../command';
import {
  countsText,
  fetchMagnetMetadata,
  magnetArgument,
  magnetLines,
  peerTable,
  ProgressLine,
  readSwarmArgs,
  SWARM_DETAILS,
  swarmOptions,
  trackerLines,
} from '../peer-run';
import { terminalJson } from '../terminal';

export const magnetCommand: Command = {
  name: 'magnet',
  summary: "fetch a magnet link's metadata from its swarm and write it as a .torrent",
  usage: 'magnet URI [-o FILE] [--peer HOST:PORT] [--json] [options]',
  details: [
    "The metadata (BEP 9) comes from the link's peers (x.pe), the peers its trackers (tr) return and the peers given",
    'with --peer, and is kept only once it hashes to the info hash. The .torrent holds it byte for byte, with the',
    "link's trackers (one tier each) and web seeds. Without -o it is written to HASH.torrent in the current folder;",
    '-o - writes it to standard output (the report then goes to standard error). For a v2 or hybrid torrent the',
    'piece layers of its files larger than a piece are then asked of the peers (BEP 52) and written once they hash',
    "to the files' pieces roots (for at most 30 s more); the notes name the files whose layer no peer gave.",
    SWARM_DETAILS,
    'Exit status: 0 when the metadata was fetched and written, 1 when no peer gave it, 2 on bad input or usage.',
  ].join('\n'),
  spec: {
    options: {
      output: { type: 'string', short: 'o', placeholder: 'FILE', description: 'write the .torrent here (- for standard output)' },
      force: { type: 'boolean', description: 'overwrite the output file if it exists' },
      ...swarmOptions,
    },
    positionals: ['URI'],
    required: 1,
  },
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const magnet = magnetArgument(args.positionals[0]);
    const swarm = readSwarmArgs(args, magnet.infoHash.v1 !== undefined ? 'v1' : 'v2');
    const output = (args.options.output as string | undefined) ?? `${magnet.infoHash.v1 ?? magnet.infoHash.v2}.torrent`;
    const toStdout = output === '-';
    if (toStdout && swarm.json) throw new CliError('-o - writes the torrent to standard output, where --json would go: choose one');
    const force = args.options.force === true;
    if (!toStdout && !force && existsSync(output))
      throw new CliError(`${visibleText(output)} exists: choose another file with -o, or overwrite it with --force`);
    const { result, made } = await fetchMagnetMetadata(
      magnet,
      swarm,
      new ProgressLine(io),
      swarm.useTrackers
        ? 'the link names no trackers and no peers (x.pe): give peers with --peer HOST:PORT'
        : 'with --no-trackers there is nobody to ask: give peers with --peer HOST:PORT',
    );
    // Once the metadata is in, the torrent's private flag decides how much of its tracker URLs is secret.
    const secrets = magnetSecrets(magnet, { show: swarm.showSecrets, private: made?.metainfo?.private });
    if (made) {
      try {
        if (toStdout) io.out(made.bytes);
        else writeFileSync(output, made.bytes, { flag: force ? 'w' : 'wx' });
      } catch (error) {
        throw new CliError(`${visibleText(output)}: cannot write the torrent: ${visibleText(errorText(error))}`);
      }
    }
    const written = made ? (toStdout ? '-' : output) : undefined;
    if (swarm.json) io.out(`${terminalJson(magnetJson(magnet, secrets, result, made, written))}\n`);
    else {
      const report = magnetText(magnet, secrets, result, made, written);
      if (toStdout) io.err(report);
      else io.out(report);
    }
    return made ? EXIT_OK : EXIT_NO_ANSWER;
  },
};

function magnetJson(
  magnet: MagnetLink,
  secrets: Secrets,
  result: MetadataResult,
  made: MagnetTorrent | undefined,
  written: string | undefined,
): Record<string, unknown> {
  const m = made?.metainfo;
  // Redacted part by part: a whole-object pass would also take a file path with a hash in it for a URL.
  return {
    link: magnetSummary(magnet, secrets),
    ok: made !== undefined,
    status: result.status,
    ...(result.error !== undefined ? { error: result.error } : {}),
    output: written ?? null,
    torrent: made
      ? {
          bytes: made.bytes.length,
          infoHash: m ? m.infoHash : null,
          name: m ? secrets.redact(m.name.text) : null,
          version: m ? m.version : null,
          fileCount: m ? m.files.count - m.files.padCount : null,
          totalLength: m ? m.totalLength - m.paddingLength : null,
          pieceLayers: m ? (m.pieceLayerCount ?? 0) : null,
          private: m ? m.private : null,
          problem: made.problem ?? null,
        }
      : null,
    notes: (made?.notes ?? []).map((note) => secrets.redact(note)),
    metadata: metadataResultJson({ ...result, trackers: result.trackers.map((r) => redactResult(r, secrets)) }),
  };
}

function magnetText(
  magnet: MagnetLink,
  secrets: Secrets,
  result: MetadataResult,
  made: MagnetTorrent | undefined,
  written: string | undefined,
): string {
  const summary = magnetSummary(magnet, secrets);
  const out = [`Magnet link: ${summary.name !== undefined ? visibleText(summary.name) : '(no name)'}`, ...magnetLines(summary), ''];
  if (result.info) {
    const from = result.suppliers.map((s) => visibleText(s)).join(', ');
    out.push(`Metadata: ${formatCount(result.info.length)} bytes from ${from} in ${formatCount(result.durationMs)} ms`);
  } else {
    out.push(`No metadata: ${visibleText(result.error ?? result.status)}`);
  }
  out.push(`Peers: ${countsText(result.counts)}`);
  const layers = result.pieceLayers;
  if (layers) {
    const from = layers.peers.filter((p) => p.ok).map((p) => visibleText(p.address));
    out.push(
      `Piece layers: ${formatCount(layers.layers.size)} of ${plural(layers.total, 'file')}${from.length > 0 ? ` from ${from.join(', ')}` : ''} in ${formatCount(layers.durationMs)} ms`,
    );
    const dropped = layers.peers.filter((p) => p.status === 'bad-metadata' || p.status === 'protocol-error');
    for (const p of dropped) out.push(`  dropped ${visibleText(p.address)}: ${visibleText(p.error ?? p.status)}`);
  }
  out.push(...trackerLines(result.trackers, secrets));
  if (result.peers.length > 0) out.push('', 'Peers:', ...peerTable(result.peers, { have: false }));
  if (made) {
    out.push('');
    const m = made.metainfo;
    const what = m
      ? `${visibleText(secrets.redact(m.name.text))}, ${plural(m.files.count - m.files.padCount, 'file')}, ${formatSize(m.totalLength - m.paddingLength)} (${m.version})`
      : visibleText(made.problem ?? '');
    out.push(written === '-' ? `Wrote the torrent to standard output: ${what}` : `Wrote ${visibleText(written ?? '')}: ${what}`);
    if (made.notes.length > 0) out.push('', 'Notes:', ...made.notes.map((note) => `  - ${visibleText(secrets.redact(note))}`));
  }
  out.push('');
  return out.join('\n');
}
