// A magnet link's torrent: the info dictionary its peers sent, wrapped as a .torrent with the link's trackers and
// web seeds, and what the user should know about the result (what the link said that the torrent does not keep,
// what it lacks). The CLI's `magnet` command and the extension's Open Magnet Link both make theirs here.

import type { MagnetLink } from '../magnet/parse';
import { parseMetainfo } from '../metainfo/parse';
import type { Metainfo } from '../metainfo/types';
import { formatCount } from '../../shared/format';
import { CLIENT_NAME } from './connection';
import { torrentFromMetadata } from './metadata';

export interface MagnetTorrent {
  /** The .torrent: the info dictionary byte for byte, the link's trackers (one tier each) and web seeds around it. */
  bytes: Uint8Array;
  /** The torrent as read back; undefined when the verified metadata is not a torrent we can read (see `problem`). */
  metainfo?: Metainfo;
  problem?: string;
  /** What the user should know, one sentence each. */
  notes: string[];
}

/** The note on a v2 or hybrid torrent made from metadata: it has no piece layers. */
export const NO_PIECE_LAYERS_NOTE =
  'A v2 torrent made from a magnet link has no piece layers: peers hand those out on request (BEP 52), which Torrent Lens does not ask for. ' +
  'libtorrent-based clients save such torrents too and fetch the layers from the swarm when they load them; until then the v2 hashes of the ' +
  'files larger than a piece cannot be checked.';

/** Wraps verified metadata of `magnet` as a .torrent. `now` (seconds since the epoch) becomes its creation date. */
export function torrentFromMagnet(magnet: MagnetLink, info: Uint8Array, now = Math.floor(Date.now() / 1000)): MagnetTorrent {
  const bytes = torrentFromMetadata(info, {
    // BEP 9 gives a magnet's trackers no tiers: each is its own, as libtorrent reads the link.
    trackers: magnet.trackers.map((url) => [url]),
    webSeeds: magnet.webSeeds,
    createdBy: CLIENT_NAME,
    creationDate: now,
  });
  const notes: string[] = [];
  const parsed = parseMetainfo(bytes);
  if (!parsed.ok) {
    const at = parsed.failure.offset === undefined ? '' : ` (at byte ${parsed.failure.offset})`;
    return { bytes, problem: `the metadata hashes right but is not a torrent we can read: ${parsed.failure.message}${at}`, notes };
  }
  const metainfo = parsed.metainfo;
  if (metainfo.infoHash.v2 !== undefined && hasFileOverAPiece(metainfo)) notes.push(NO_PIECE_LAYERS_NOTE);
  if (magnet.name !== undefined && magnet.name !== metainfo.name.text)
    notes.push(`The link calls it "${magnet.name}"; the torrent's own name is "${metainfo.name.text}".`);
  if (magnet.exactLength !== undefined && magnet.exactLength !== metainfo.totalLength - metainfo.paddingLength)
    notes.push(
      `The link gives a length of ${formatCount(magnet.exactLength)} bytes (xl); the torrent's files hold ${formatCount(metainfo.totalLength - metainfo.paddingLength)}.`,
    );
  if (magnet.selectOnly !== undefined)
    notes.push('The link selects some of the files (so, BEP 53): a .torrent has no place for that, so the selection is not kept.');
  if (magnet.peers.length > 0) notes.push('The peers the link names (x.pe) are not kept: a .torrent has no place for them.');
  return { bytes, metainfo, notes };
}

/** Whether a file needs a piece layer: one larger than a piece (smaller files' roots are their only hash). */
function hasFileOverAPiece(metainfo: Metainfo): boolean {
  const files = metainfo.files;
  for (let i = 0; i < files.count; i++) if (!files.isPadding(i) && files.fileLength(i) > metainfo.pieceLength) return true;
  return false;
}
