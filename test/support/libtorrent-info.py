#!/usr/bin/python3
"""What libtorrent reads from .torrent files: one JSON line per file named on the command line.

Each line holds the info hashes, the trackers by tier, the web seeds (BEP 19) and HTTP seeds (BEP 17), the
comment, creator, creation date, private flag and name, or the error libtorrent gave when it refused the file.
Run with Debian's python3 (/usr/bin/python3), which has the python3-libtorrent module.
"""
import json
import sys

import libtorrent as lt

ZERO_V2 = "0" * 64


def describe(path):
    try:
        ti = lt.torrent_info(path)
    except Exception as error:  # libtorrent raises RuntimeError with its own message
        return {"file": path, "ok": False, "error": str(error)}
    hashes = ti.info_hashes()
    tiers = {}
    for entry in ti.trackers():
        tiers.setdefault(entry.tier, []).append(entry.url)
    seeds = ti.web_seeds()
    return {
        "file": path,
        "ok": True,
        "v1": str(hashes.v1) if hashes.has_v1() else None,
        "v2": str(hashes.v2) if hashes.has_v2() and str(hashes.v2) != ZERO_V2 else None,
        "trackers": [tiers[tier] for tier in sorted(tiers)],
        "webSeeds": [seed["url"] for seed in seeds if seed["type"] == 0],
        "httpSeeds": [seed["url"] for seed in seeds if seed["type"] == 1],
        "comment": ti.comment(),
        "creator": ti.creator(),
        "creationDate": ti.creation_date(),
        "private": ti.priv(),
        "name": ti.name(),
    }


for path in sys.argv[1:]:
    print(json.dumps(describe(path)), flush=True)
