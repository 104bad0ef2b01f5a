#!/usr/bin/python3
# The reference tool of the interop tests: libtorrent (Debian's python3-libtorrent) creates, loads and
# rechecks torrents, and prints what it found as one JSON object. Nothing here touches the network: the
# session listens on 127.0.0.1 only, with DHT, local discovery, UPnP and NAT-PMP off, and the torrents
# have no trackers.
#
#   create PATH PIECE_LENGTH v1|v2|hybrid OUT     make OUT from PATH, print its info hashes
#   load TORRENT                                   read it, print its info hashes, files and pieces
#   recheck TORRENT SAVE_PATH                      check the data, print the pieces it does not have
#   auto-piece-length SIZE...                      libtorrent's automatic piece length for each total size
import json
import os
import sys
import time

import libtorrent as lt

LIMITS = {'max_buffer_size': 200000000, 'max_pieces': 10000000, 'max_decode_tokens': 50000000}
FLAGS = {'v1': lt.create_torrent.v1_only, 'v2': lt.create_torrent.v2_only, 'hybrid': 0}


def hashes(ti):
    ih = ti.info_hashes()
    return {
        'v1': str(ih.v1) if ih.has_v1() else None,
        'v2': str(ih.v2) if ih.has_v2() else None,
    }


def create(path, piece_length, version, out):
    fs = lt.file_storage()
    lt.add_files(fs, path)
    t = lt.create_torrent(fs, int(piece_length), flags=FLAGS[version])
    lt.set_piece_hashes(t, os.path.dirname(os.path.abspath(path)))
    with open(out, 'wb') as f:
        f.write(lt.bencode(t.generate()))
    return hashes(lt.torrent_info(out, LIMITS))


def load(path):
    ti = lt.torrent_info(path, LIMITS)
    fs = ti.files()
    files = [
        {'path': fs.file_path(i), 'size': fs.file_size(i), 'pad': bool(fs.file_flags(i) & lt.file_storage.flag_pad_file)}
        for i in range(fs.num_files())
    ]
    return {**hashes(ti), 'name': ti.name(), 'pieceLength': ti.piece_length(), 'pieceCount': ti.num_pieces(), 'files': files}


def recheck(path, save_path):
    settings = {
        'listen_interfaces': '127.0.0.1:0',
        'enable_dht': False,
        'enable_lsd': False,
        'enable_upnp': False,
        'enable_natpmp': False,
        'alert_mask': 0,
    }
    session = lt.session(settings)
    ti = lt.torrent_info(path, LIMITS)
    params = lt.add_torrent_params()
    params.ti = ti
    params.save_path = save_path
    # Upload mode: the torrent never downloads, so nothing on disk is written.
    params.flags = lt.torrent_flags.upload_mode
    handle = session.add_torrent(params)
    handle.force_recheck()
    deadline = time.time() + 120
    checking = (lt.torrent_status.checking_files, lt.torrent_status.checking_resume_data)
    while True:
        status = handle.status()
        if status.state not in checking and not status.errc.value():
            break
        if status.errc.value():
            raise SystemExit(f'libtorrent: {status.errc.message()}')
        if time.time() > deadline:
            raise SystemExit('libtorrent: the recheck did not finish in 120 s')
        time.sleep(0.02)
    pieces = handle.status().pieces
    return {'pieceCount': len(pieces), 'badPieces': [i for i, have in enumerate(pieces) if not have]}


def auto_piece_length(sizes):
    out = []
    for size in sizes:
        row = {}
        for version in ('v1', 'hybrid'):
            fs = lt.file_storage()
            fs.add_file('top/file', int(size))
            row[version] = lt.create_torrent(fs, 0, flags=FLAGS[version]).piece_length()
        out.append(row)
    return out


def main(argv):
    command, args = argv[1], argv[2:]
    if command == 'create':
        result = create(*args)
    elif command == 'load':
        result = load(*args)
    elif command == 'recheck':
        result = recheck(*args)
    elif command == 'auto-piece-length':
        result = auto_piece_length(args)
    else:
        raise SystemExit(f'unknown command {command}')
    json.dump(result, sys.stdout)


if __name__ == '__main__':
    main(sys.argv)
