// bittorrent-tracker's WebSocket/WebRTC path is never used by our tests; any use fails loudly.
class Unsupported {
  constructor() {
    throw new Error('WebRTC is not available in the Torrent Lens test tracker');
  }
}
export const RTCPeerConnection = Unsupported;
export const RTCSessionDescription = Unsupported;
export const RTCIceCandidate = Unsupported;
export default { RTCPeerConnection, RTCSessionDescription, RTCIceCandidate };
