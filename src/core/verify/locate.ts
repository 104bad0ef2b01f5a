// Where a torrent's data is, given the folder the user chose for it: as clients keep it, the folder holds
// the data under the torrent's name (FOLDER/NAME, a folder or, for a single-file torrent, the file); or the
// user chose the data itself (a renamed copy, or NAME's own folder). The name comes from the torrent and is
// hostile input: it is used only when it is one plain name, so the result is always inside the folder.

import { realpathSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { Metainfo } from '../metainfo/types';
import { HashingError } from '../hashing/errors';

export interface ContentLocation {
  /** What verifyTorrent checks: the data's folder, or the single file. */
  contentPath: string;
  /** `inside`: FOLDER/NAME; `itself`: the chosen folder (or file) is the data. */
  how: 'inside' | 'itself';
}

/** The torrent's name when it can be one element of a path, else undefined. */
export function safeName(metainfo: Metainfo): string | undefined {
  const name = metainfo.name.text;
  if (!metainfo.name.utf8 || name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) return undefined;
  return name;
}

/** Where the data of `metainfo` is, given the chosen `folder`; a HashingError that says what was looked for when it is nowhere. */
export function locateContent(metainfo: Metainfo, folder: string): ContentLocation {
  const chosen = resolve(folder);
  const chosenStat = statOrUndefined(chosen);
  if (!chosenStat) throw new HashingError('not-found', `${chosen} does not exist`, chosen);
  const name = safeName(metainfo);
  if (chosenStat.isDirectory() && name !== undefined) {
    const inside = join(chosen, name);
    const stat = statOrUndefined(inside);
    if (stat && (metainfo.singleFile ? stat.isFile() : stat.isDirectory())) {
      // NAME may be a link: what it leads to must be inside the chosen folder too.
      const real = realpathSync.native(inside);
      const folderReal = realpathSync.native(chosen);
      if (real.startsWith(folderReal.endsWith(sep) ? folderReal : folderReal + sep)) return { contentPath: inside, how: 'inside' };
      throw new HashingError(
        'not-found',
        `${inside} leads out of ${chosen} through a symbolic link; choose the folder it leads to`,
        chosen,
      );
    }
  }
  if (metainfo.singleFile && chosenStat.isFile()) return { contentPath: chosen, how: 'itself' };
  if (!metainfo.singleFile && chosenStat.isDirectory() && holdsSomeFile(metainfo, chosen)) return { contentPath: chosen, how: 'itself' };
  const looked = name === undefined ? chosen : join(chosen, name);
  throw new HashingError(
    'not-found',
    `the data is not there: neither ${looked} nor ${chosen} holds ${metainfo.singleFile ? 'the file' : 'any of the files'} of this torrent`,
    chosen,
  );
}

/** Whether one of the torrent's first files (pad files aside) is in `folder` at its path. */
function holdsSomeFile(metainfo: Metainfo, folder: string): boolean {
  const table = metainfo.files;
  const spans: number[] = [];
  let looked = 0;
  for (let i = 0; i < table.count && looked < 16; i++) {
    if (table.isPadding(i)) continue;
    looked++;
    const count = table.pathElementSpans(i, spans);
    const elements: string[] = [];
    for (let e = 0; e < count; e++) elements.push(Buffer.from(table.bytes.subarray(spans[2 * e], spans[2 * e + 1])).toString());
    if (elements.length === 0 || elements.some((e) => e === '' || e === '.' || e === '..' || /[/\\\0]/.test(e))) continue;
    if (statOrUndefined(join(folder, ...elements))?.isFile()) return true;
  }
  return false;
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
