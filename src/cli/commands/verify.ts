// `torrent-lens verify FILE [--data DIR]`: checks the data on disk against a torrent, as a client's
// "force recheck" does, hashing on every core: per file complete, damaged (which pieces), missing, of the
// wrong size or unreadable; hybrids are checked against both their v1 and v2 hashes.

import { dirname, resolve } from 'node:path';
import type { Metainfo } from '../../core/metainfo/types';
import { visibleText } from '../../core/text/display';
import { locateContent } from '../../core/verify/locate';
import { verifyTorrent, type VerifiedFile, type VerifyResult } from '../../core/verify/verify';
import { formatCount, formatSize, plural } from '../../shared/format';
import type { ParsedArgs } from '../args';
import { type CliIo, type Command, EXIT_OK } from '../command';
import { interruptible } from '../interrupt';
import { ProgressBar, underProgressBar } from '../progress-bar';
import { loadTorrent } from '../read-torrent';
import { terminalJson } from '../terminal';
import { EXIT_CANCELLED } from './create';

/** Something is missing or does not match. */
export const EXIT_MISMATCH = 1;

export const verifyCommand: Command = {
  name: 'verify',
  summary: "check the data on disk against a torrent's hashes",
  usage: 'verify FILE [--data DIR] [--json]',
  details: [
    "DIR is the folder that holds the data, as a client's save folder does: the data is DIR/NAME (NAME is the",
    "torrent's name), or DIR itself when it holds the files. The default DIR is the torrent file's own folder.",
    'Only files inside DIR are read: paths in the torrent that would leave it, and links that lead out, are not.',
    'A hybrid torrent is checked against its v1 and its v2 hashes; a file that passes one and fails the other',
    "is called out. In JSON, badPieces are v1 piece numbers (v1 and hybrid torrents), or for v2 each file's own.",
    'Exit status: 0 when every file is complete, 1 when something is missing or wrong, 2 on bad input, 130 when cancelled.',
  ].join('\n'),
  spec: {
    options: {
      data: { type: 'string', placeholder: 'DIR', description: "the folder that holds the data (default: the torrent's folder)" },
      json: { type: 'boolean', description: 'print one JSON object instead of text' },
    },
    positionals: ['FILE'],
    required: 1,
  },
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const file = args.positionals[0];
    const metainfo = await loadTorrent(file);
    const data = resolve((args.options.data as string | undefined) ?? (file === '-' ? '.' : dirname(resolve(file))));
    const bar = new ProgressBar(process.stderr, 'Checking');
    const checked = await underProgressBar(bar, async () => {
      const { contentPath } = locateContent(metainfo, data);
      return {
        contentPath,
        result: await interruptible((signal) => verifyTorrent(metainfo, contentPath, { signal, onProgress: (p) => bar.update(p) })),
      };
    });
    if (!checked) {
      io.err('cancelled\n');
      return EXIT_CANCELLED;
    }
    const { contentPath, result } = checked;
    if (args.options.json === true) io.out(`${terminalJson({ torrent: file, data: contentPath, ...result })}\n`);
    else io.out(resultText(metainfo, contentPath, result));
    return result.complete ? EXIT_OK : EXIT_MISMATCH;
  },
};

const STATUS_WORDS: Record<VerifiedFile['status'], string> = {
  complete: 'complete',
  damaged: 'damaged',
  'wrong-size': 'wrong size',
  missing: 'missing',
  unreadable: 'unreadable',
};

/** Piece numbers, the first few: `3, 7, 12 and 40 more`. */
function pieceList(pieces: number[]): string {
  const shown = pieces.slice(0, 8).map(formatCount).join(', ');
  return pieces.length > 8 ? `${shown} and ${formatCount(pieces.length - 8)} more` : shown;
}

function fileLine(f: VerifiedFile, version: VerifyResult['version']): string {
  const detail: string[] = [];
  if (f.status === 'damaged' || f.status === 'wrong-size' || f.status === 'missing') {
    const own = version === 'v2' ? "the file's own" : 'v1';
    if (f.badPieces.length > 0)
      detail.push(`${plural(f.badPieces.length, `bad ${own} piece`, `bad ${own} pieces`)}: ${pieceList(f.badPieces)}`);
    if (f.v2BadPieces && f.v2BadPieces.length > 0)
      detail.push(`${plural(f.v2BadPieces.length, 'bad v2 piece')}: ${pieceList(f.v2BadPieces)}`);
  }
  if (f.status === 'wrong-size' && f.actualLength !== undefined)
    detail.push(`${formatCount(f.actualLength)} bytes on disk, ${formatCount(f.length)} in the torrent`);
  if (f.failsOnly)
    detail.push(`passes ${f.failsOnly === 'v1' ? 'v2' : 'v1'} and fails ${f.failsOnly}: the torrent's v1 and v2 hashes disagree`);
  if (f.error) detail.push(f.error);
  if (f.note) detail.push(f.note);
  const head = `  ${STATUS_WORDS[f.status].padEnd(11)} ${visibleText(f.path)}`;
  return detail.length ? `${head}\n${detail.map((d) => `              ${visibleText(d)}`).join('\n')}` : head;
}

function resultText(metainfo: Metainfo, contentPath: string, r: VerifyResult): string {
  const lines = [
    `Checked ${visibleText(contentPath)} against ${visibleText(metainfo.name.text)} (${r.version}, ${formatCount(r.pieceCount)} pieces of ${formatSize(r.pieceLength)})`,
  ];
  // Files with something wrong, each with what; complete files are counted, not listed (there may be 100,000).
  const wrong = r.files.filter((f) => f.status !== 'complete' || f.failsOnly);
  for (const f of wrong) lines.push(fileLine(f, r.version));
  const complete = r.files.filter((f) => f.status === 'complete').length;
  lines.push(
    r.complete
      ? `All ${plural(r.files.length, 'file')} complete: ${formatCount(r.pieceCount)} of ${formatCount(r.pieceCount)} pieces good.`
      : `${formatCount(complete)} of ${plural(r.files.length, 'file')} complete; ${formatCount(r.goodPieces)} of ${formatCount(r.pieceCount)} pieces good, ${formatCount(r.badPieces.length)} bad or missing.`,
  );
  return `${lines.join('\n')}\n`;
}
