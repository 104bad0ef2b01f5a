#!/usr/bin/python3
"""Real libtorrent peers on the loopback interface, for the peer tests and the bench (Debian's python3-libtorrent).

  create DIR NAME KIND SEED FILES PIECE   makes random files (seeded, reproducible) under DIR/data/NAME and a
                                          v1, v2 or hybrid torrent of them, DIR/NAME.torrent; FILES is
                                          comma-separated sizes (one size: a single-file torrent)
  seed TORRENT DATA_PARENT HOST           seeds it (seed_mode) on HOST, port chosen by the system
  partial TORRENT DATA_PARENT HOST DROP   copies nothing: DATA_PARENT must be a copy of the data; the files whose
                                          indices are in DROP (comma-separated) are removed, the torrent checked,
                                          and what remains is offered
  fetch HOST                              reads magnet links on stdin, one a line; answers each with the time in
                                          ms until a fresh session had the metadata (or -1 after 30 s)

Long-running commands print one JSON line when ready, then run until stdin closes (so they end with the test
that started them, however it ends). Nothing listens beyond HOST; DHT, local discovery, UPnP and NAT-PMP are off.
"""
import json
import os
import random
import sys
import time

import libtorrent as lt


def session(host):
    return lt.session(
        {
            "listen_interfaces": f"{host}:0" if ":" not in host else f"[{host}]:0",
            "enable_dht": False,
            "enable_lsd": False,
            "enable_upnp": False,
            "enable_natpmp": False,
            "allow_multiple_connections_per_ip": True,
            "alert_mask": lt.alert.category_t.status_notification | lt.alert.category_t.error_notification,
        }
    )


def ready(**fields):
    print(json.dumps(fields), flush=True)


def wait_for_stdin_close():
    for _ in sys.stdin:
        pass


def create(directory, name, kind, seed, sizes, piece_length):
    rng = random.Random(int(seed))
    root = os.path.join(directory, "data")
    sizes = [int(s) for s in sizes.split(",")]
    if len(sizes) == 1:
        os.makedirs(root, exist_ok=True)
        paths = [os.path.join(root, name)]
    else:
        paths = [os.path.join(root, name, f"dir{i % 3}", f"file{i}.bin") for i in range(len(sizes))]
    for path, size in zip(paths, sizes):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as out:
            out.write(rng.randbytes(size))
    fs = lt.file_storage()
    lt.add_files(fs, os.path.join(root, name))
    flags = {"v1": lt.create_torrent.v1_only, "v2": lt.create_torrent.v2_only, "hybrid": 0}[kind]
    ct = lt.create_torrent(fs, int(piece_length), flags)
    ct.set_creator("libtorrent test peer")
    lt.set_piece_hashes(ct, root)
    data = lt.bencode(ct.generate())
    torrent = os.path.join(directory, f"{name}.torrent")
    with open(torrent, "wb") as out:
        out.write(data)
    ti = lt.torrent_info(lt.bdecode(data))
    hashes = ti.info_hashes()
    ready(
        torrent=torrent,
        dataParent=root,
        files=[f for f in (fs.file_path(i) for i in range(fs.num_files()))],
        infoHashV1=str(hashes.v1) if hashes.has_v1() else None,
        infoHashV2=str(hashes.v2) if hashes.has_v2() else None,
        pieces=ti.num_pieces(),
    )


def add(ses, torrent, data_parent, seed_mode):
    atp = lt.add_torrent_params()
    atp.ti = lt.torrent_info(torrent)
    atp.save_path = data_parent
    if seed_mode:
        atp.flags |= lt.torrent_flags.seed_mode
    # Auto-managed torrents start paused until the session's next queueing round (up to a second later), and a
    # paused torrent turns peers away: start it now.
    atp.flags &= ~lt.torrent_flags.auto_managed
    atp.flags &= ~lt.torrent_flags.paused
    return ses.add_torrent(atp)


def bitfield_hex(pieces):
    out = bytearray((len(pieces) + 7) // 8)
    for i, has in enumerate(pieces):
        if has:
            out[i // 8] |= 0x80 >> (i % 8)
    return out.hex()


def serve(torrent, data_parent, host, drop=None):
    ses = session(host)
    if drop is not None:
        ti = lt.torrent_info(torrent)
        fs = ti.files()
        for index in [int(i) for i in drop.split(",") if i != ""]:
            path = os.path.join(data_parent, fs.file_path(index))
            if os.path.exists(path):
                os.remove(path)
    handle = add(ses, torrent, data_parent, seed_mode=drop is None)
    if drop is not None:
        handle.force_recheck()
    deadline = time.time() + 30
    while time.time() < deadline:
        status = handle.status()
        settled = status.state in (lt.torrent_status.seeding, lt.torrent_status.finished) or (
            drop is not None and status.state == lt.torrent_status.downloading
        )
        if settled and not status.paused and not status.errc.value():
            break
        time.sleep(0.05)
    status = handle.status()
    ready(port=ses.listen_port(), state=str(status.state), pieces=bitfield_hex(status.pieces), seed=status.is_seeding)
    wait_for_stdin_close()


def fetch(host):
    ses = session(host)
    for line in sys.stdin:
        uri = line.strip()
        if not uri:
            continue
        atp = lt.parse_magnet_uri(uri)
        atp.save_path = os.environ.get("TMPDIR", "/tmp")
        # Metadata only: stop before any download.
        atp.flags |= lt.torrent_flags.upload_mode
        atp.flags &= ~lt.torrent_flags.auto_managed
        atp.flags &= ~lt.torrent_flags.paused
        started = time.monotonic()
        handle = ses.add_torrent(atp)
        took = -1
        while time.monotonic() - started < 30:
            if handle.status().has_metadata:
                took = (time.monotonic() - started) * 1000
                break
            time.sleep(0.002)
        ses.remove_torrent(handle)
        print(json.dumps({"ms": took}), flush=True)


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "create":
        create(*args)
    elif command == "seed":
        serve(*args)
    elif command == "partial":
        serve(*args[:3], drop=args[3])
    elif command == "fetch":
        fetch(*args)
    else:
        sys.exit(f"unknown command {command}")
