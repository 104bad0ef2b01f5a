// Every code a metainfo parse reports, in one place: the codes are what tests, the CLI's output and the
// editor's problem list key on, so they are a contract, and typing them makes a misspelt one an error.
// The messages say the rest; a comment is given where the code alone does not.

import type { BencodeErrorCode, BencodeWarningCode } from '../bencode/decode';

/** A defect that makes the torrent unreadable: parsing stops (`MetainfoFailure.code`). */
export type MetainfoErrorCode =
  // The root and info dictionaries.
  | 'root-not-dict'
  | 'missing-info'
  /** The root has several 'info' keys: which one is the torrent is ambiguous. */
  | 'duplicate-info'
  | 'info-not-dict'
  /** Several required info keys are missing (one missing key gets its own code). */
  | 'info-incomplete'
  // Info fields.
  /** A 'meta version' other than 2 or below (BEP 52). */
  | 'meta-version-unsupported'
  | 'file-tree-without-meta-version'
  | 'missing-file-tree'
  | 'missing-piece-length'
  | 'piece-length-not-integer'
  /** Not positive, or not a power of two of at least 16 KiB in a v2 torrent. */
  | 'piece-length-invalid'
  | 'piece-length-too-large'
  | 'missing-name'
  | 'name-not-string'
  // Files, v1 and v2.
  | 'missing-length'
  /** The single file's 'length' is not an integer. */
  | 'length-not-integer'
  | 'negative-length'
  | 'files-not-list'
  | 'no-files'
  | 'file-not-dict'
  | 'file-length-missing'
  | 'file-length-not-integer'
  | 'file-path-missing'
  | 'file-path-empty'
  | 'file-path-not-list'
  | 'path-element-not-string'
  /** The lengths add up past 2^63 - 1. */
  | 'total-length-overflow'
  /** The lengths add up past 2^53: too large for exact arithmetic. */
  | 'length-too-large'
  /** A malformed v2 file tree: not a dictionary, a '' key beside other entries, file data not a dictionary. */
  | 'file-tree-invalid'
  /** A v2 'pieces root' that is not a 32-byte string. */
  | 'pieces-root-invalid'
  /** A v2 file with data but no 'pieces root'. */
  | 'pieces-root-missing'
  // v1 piece hashes.
  /** No 'pieces' in a v1 torrent (a hybrid one only gets a warning). */
  | 'missing-pieces'
  | 'pieces-not-string'
  /** 'pieces' is not a whole number of 20-byte hashes. */
  | 'pieces-length'
  /** 'pieces' holds more or fewer hashes than the data has pieces. */
  | 'pieces-count';

/** Why a parse failed: a metainfo defect, a bencode error, or a bug in the reader. */
export type FailureCode = MetainfoErrorCode | BencodeErrorCode | 'internal-error';

/** A warning or note about a torrent that is read anyway (`Diagnostic.code`). */
export type MetainfoWarningCode =
  // The dictionaries (besides the decoder's own 'duplicate-key', 'unsorted-key', 'trailing-whitespace').
  /** The decoder kept only so many warnings; this counts the rest. */
  | 'bencode-warnings-omitted'
  /** Unsorted or duplicate keys in the info dictionary: re-encoding tools compute another info hash. */
  | 'info-not-canonical'
  /** Tools built on npm `bencode` compute yet another info hash than byte-order re-encoders. */
  | 'reencoding-differs'
  // Info fields.
  | 'meta-version-invalid'
  /** 'meta version' below 2: read as v1. */
  | 'meta-version-old'
  | 'piece-length-not-power-of-two'
  | 'piece-length-small'
  | 'empty-name'
  /** 'name.utf-8' is not a string. */
  | 'name-utf8-invalid'
  /** The name shown comes from 'name.utf-8', which differs from 'name'. */
  | 'name-utf8-key'
  | 'private-not-integer'
  /** 'private' is an integer other than 0 or 1. */
  | 'private-unusual'
  // Names and path elements, checked on their bytes.
  | 'path-traversal'
  | 'path-absolute'
  /** A '/' or '\' inside one path element. */
  | 'path-separator'
  | 'path-empty-element'
  | 'path-dot-element'
  | 'path-nul'
  | 'control-characters'
  /** Unicode direction controls that can disguise a file's extension. */
  | 'bidi-control'
  | 'not-utf8'
  /** Longer than 255 bytes. */
  | 'name-too-long'
  /** CON, NUL, COM1 … */
  | 'windows-reserved-name'
  | 'windows-trailing-dot'
  | 'windows-invalid-character'
  // Paths against each other.
  | 'path-duplicate'
  /** The same path once ASCII letter case is ignored. */
  | 'path-duplicate-case'
  /** A file where another path needs a folder of that name. */
  | 'path-collision'
  /** Hostile hash collisions cut the duplicate-path check short. */
  | 'path-check-incomplete'
  // Files.
  /** Both 'length' and 'files'. */
  | 'length-and-files'
  /** Every file is empty. */
  | 'no-data'
  /** A BEP 47 symlink that declares a length: it holds no data, so the length is ignored. */
  | 'symlink-length'
  /** A BEP 47 symlink without a usable 'symlink path': libtorrent makes it an empty file. */
  | 'symlink-target-missing'
  /** A v2 file marked as a pad file. */
  | 'v2-pad-file'
  | 'file-tree-empty-folder'
  /** A hybrid torrent without v1 'pieces'. */
  | 'missing-pieces'
  /** A hybrid torrent whose v1 file list and v2 file tree disagree. */
  | 'hybrid-mismatch'
  /** No 'piece layers' although some file is larger than a piece. */
  | 'piece-layers-missing'
  | 'piece-layers-invalid'
  /** No layer for one file's pieces root. */
  | 'piece-layer-missing'
  /** A layer with the wrong number of hashes for its file. */
  | 'piece-layer-size'
  /** A layer that does not hash up to its file's pieces root. */
  | 'piece-layer-root'
  /** A 'piece layers' entry whose key is not the pieces root of any file larger than a piece. */
  | 'piece-layer-orphan'
  /** Layers past the per-read budget were not hashed up to their roots. */
  | 'piece-layers-unchecked'
  /** A v2 file with data whose 'pieces root' is 32 zero bytes. */
  | 'pieces-root-zero'
  // Trackers, web seeds, DHT nodes.
  | 'announce-invalid'
  /** 'announce' is not in 'announce-list', which clients use instead. */
  | 'announce-ignored'
  | 'announce-list-invalid'
  | 'announce-list-empty-tier'
  | 'tracker-not-string'
  | 'tracker-empty'
  | 'tracker-whitespace'
  /** Not an http(s), udp or ws(s) URL. */
  | 'tracker-url-invalid'
  | 'tracker-duplicate'
  /** A 'url-list' entry (BEP 19) that is not a string. */
  | 'web-seed-invalid'
  /** An 'httpseeds' entry (BEP 17) that is not a string. */
  | 'http-seed-invalid'
  | 'web-seed-duplicate'
  | 'web-seed-url-invalid'
  | 'nodes-invalid'
  | 'node-invalid'
  // Text fields.
  /** A comment, creator, source or encoding that is not a string. */
  | 'text-invalid'
  | 'creation-date-invalid'
  | 'creation-date-milliseconds'
  | 'creation-date-implausible'
  /** An 'encoding' other than UTF-8. */
  | 'encoding';

/** What a diagnostic is about: the reader's warnings and notes, and the decoder's warnings passed on. */
export type DiagnosticCode = MetainfoWarningCode | BencodeWarningCode;
