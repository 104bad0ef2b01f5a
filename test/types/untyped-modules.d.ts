// Test-only npm packages that ship no type declarations. Only what the tests use is typed.
declare module 'bencode' {
  const bencode: {
    encode(value: unknown): Uint8Array;
    decode(data: Uint8Array, encoding?: string): unknown;
  };
  export default bencode;
}

declare module 'magnet-uri' {
  interface ParsedMagnet {
    xt?: string | string[];
    dn?: string;
    tr?: string | string[];
    ws?: string | string[];
    infoHash?: string;
    infoHashV2?: string;
    name?: string;
    announce: string[];
    urlList: string[];
  }
  function magnetURIDecode(uri: string): ParsedMagnet;
  export default magnetURIDecode;
}

declare module 'parse-torrent' {
  interface ParsedTorrent {
    infoHash: string;
    name: string;
    length: number;
    pieceLength: number;
    pieces: string[];
    files: { path: string; name: string; length: number; offset: number }[];
    announce: string[];
    urlList: string[];
    private?: boolean;
  }
  function parseTorrent(torrent: Uint8Array): Promise<ParsedTorrent>;
  /** Encodes a parsed torrent into a .torrent file again (re-encoding its info dictionary). */
  export function toTorrentFile(parsed: ParsedTorrent): Uint8Array;
  export default parseTorrent;
}

declare module 'create-torrent' {
  interface CreateTorrentOptions {
    name?: string;
    pieceLength?: number;
    private?: boolean;
    createdBy?: string;
    announceList?: string[][];
  }
  function createTorrent(
    input: string | string[],
    options: CreateTorrentOptions,
    callback: (error: Error | null, torrent: Uint8Array) => void,
  ): void;
  export default createTorrent;
}
