// A magnet link's torrent: the info dictionary its peers sent, wrapped as a .torrent with the link's trackers and
// web seeds, and what the user should know about the result (what the link said that the torrent does not keep,
// what it lacks). The CLI's `magnet` command and the extension's Open Magnet Link both make theirs here.

import type { MagnetLink } from '../magnet/parse';
import { parseMetainfo } from '../metainfo/parse';
import type { Metainfo } from '../metainfo/types';
import { formatCount } from '../../shared/format';
import { CLIENT_NAME } from './connection';
import { torrentFromMetadata } from './metadata';
import { layersNeeded, type PieceLayersResult } from './piece-layers';
import { toHex } from '../text/bytes';

export interface MagnetTorrent {
  /** The .torrent: the info dictionary byte for byte, the link's trackers (one tier each) and web seeds around it. */
  bytes: Uint8Array;
  /** The torrent as read back; undefined when the verified metadata is not a torrent we can read (see `problem`). */
  metainfo?: Metainfo;
  problem?: string;
  /** What the user should know, one sentence each. */
  notes: string[];
}

/** Files named in the note on missing piece layers; the rest are counted. */
const NOTE_FILES = 5;

/**
 * The note on a v2 or hybrid torrent made from metadata whose piece layers did not all come: `files` lack theirs,
 * of `total` layers wanted; `fetch` is how asking the peers went (undefined: they were not asked).
 */
export function noPieceLayersNote(files: string[], total: number, fetch?: PieceLayersResult): string {
  const named = files
    .slice(0, NOTE_FILES)
    .map((f) => `"${f}"`)
    .join(', ');
  const more = files.length > NOTE_FILES ? ` and ${formatCount(files.length - NOTE_FILES)} more` : '';
  const why =
    fetch === undefined
      ? 'they were not asked for (peers hand them out on request, BEP 52)'
      : fetch.status === 'cancelled'
        ? 'the fetch was cancelled before they came'
        : 'no peer gave them in time (BEP 52 hash requests)';
  const which =
    files.length === total
      ? 'The torrent has no piece layers'
      : `${formatCount(files.length)} of its ${formatCount(total)} piece layers are missing`;
  return (
    `${which}: ${why}. Without a layer, the v2 hashes of a file larger than a piece cannot be checked: ${named}${more}. ` +
    'libtorrent-based clients load such a torrent and fetch the layers from the swarm.'
  );
}

/**
 * Wraps verified metadata of `magnet` as a .torrent, with the piece layers the peers gave (`pieceLayers`, from
 * `fetchMetadata`). `now` (seconds since the epoch) becomes its creation date.
 */
export function torrentFromMagnet(
  magnet: MagnetLink,
  info: Uint8Array,
  now = Math.floor(Date.now() / 1000),
  pieceLayers?: PieceLayersResult,
): MagnetTorrent {
  const bytes = torrentFromMetadata(info, {
    // BEP 9 gives a magnet's trackers no tiers: each is its own, as libtorrent reads the link.
    trackers: magnet.trackers.map((url) => [url]),
    webSeeds: magnet.webSeeds,
    createdBy: CLIENT_NAME,
    creationDate: now,
    pieceLayers: pieceLayers?.layers,
  });
  const notes: string[] = [];
  const parsed = parseMetainfo(bytes);
  if (!parsed.ok) {
    const at = parsed.failure.offset === undefined ? '' : ` (at byte ${parsed.failure.offset})`;
    return { bytes, problem: `the metadata hashes right but is not a torrent we can read: ${parsed.failure.message}${at}`, notes };
  }
  const metainfo = parsed.metainfo;
  const { needs } = layersNeeded(metainfo);
  const missing = needs.filter((need) => !pieceLayers?.layers.has(toHex(need.root))).flatMap((need) => need.files);
  if (missing.length > 0) notes.push(noPieceLayersNote(missing, needs.length, pieceLayers));
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
