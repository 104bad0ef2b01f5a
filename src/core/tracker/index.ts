// Tracker clients: HTTP(S), UDP and WebSocket announce and scrape, run concurrently over a torrent's trackers.
export * from './types';
export { TrackerFailure } from './errors';
export {
  checkTrackerOptions,
  MAX_TIMER_MS,
  TRACKER_OPTION_LIMITS,
  TrackerOptionsError,
  validateTrackerOptions,
  type TrackerOptionProblem,
} from './options';
export {
  announceAll,
  announceHashes,
  announceToTracker,
  scrapeAll,
  scrapeTracker,
  trackerTargets,
  uniqueTrackers,
  type AnnounceListener,
  type ScrapeListener,
} from './run';
export { clientFromPeerId, defaultPeerId, generatePeerId, peerIdText, PEER_ID_PREFIX } from './peer-id';
export { isWebSocket, NO_SCRAPE_URL, percentEncodeBytes, scrapeUrlOf, trackerProtocol, unsupportedReason } from './url';
export { WEBRTC_PEERS_NOTE } from './websocket';
export { UdpConnectionCache, sharedUdpConnections, CONNECTION_ID_LIFETIME_MS, UDP_SCRAPE_MAX_HASHES } from './udp';
export { announceUrl } from './http-tracker';
export {
  announceReportJson,
  announceResultJson,
  redactResult,
  resultMessage,
  scrapeReportJson,
  scrapeResultJson,
  STATUS_LABELS,
  type ReportHashes,
} from './report';
