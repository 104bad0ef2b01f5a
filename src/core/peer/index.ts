// The peer side of the protocol: fetching metadata from peers (BEP 9) and asking a swarm what it has.
// Never a download: no `interested`, no block `request`.
export * from './types';
export {
  fetchMetadata,
  metadataResultJson,
  metadataMismatch,
  torrentFromMetadata,
  DEFAULT_MAX_METADATA_BYTES,
  METADATA_BLOCK_BYTES,
  METADATA_DEFAULTS,
} from './metadata';
export type { FetchMetadataOptions, MetadataResult, MetadataStatus, TorrentFromMetadataOptions } from './metadata';
export { probePeers, probeTargetOf, PROBE_DEFAULTS } from './probe';
export type { FileAvailability, ProbeOptions, ProbeResult, ProbeStatus, ProbeTarget, SwarmSummary } from './probe';
export { addressText, advertisedFlags, trackerHashes, type SwarmOptions, type TrackerSource } from './swarm';
export { candidatesFromMagnet, parsePeerList } from './candidates';
export { PieceSet, SwarmAvailability, filePieceRanges, type CopiesSummary, type PieceRange } from './pieces';
export { torrentFromMagnet, noPieceLayersNote, type MagnetTorrent } from './from-magnet';
export { fetchPieceLayers, layersNeeded, layerRequests, MAX_HASHES_PER_REQUEST, PIECE_LAYERS_DEFAULTS } from './piece-layers';
export type { FetchPieceLayersOptions, LayerNeed, PieceLayersResult, PieceLayersStatus } from './piece-layers';
