#!/usr/bin/env bash
# Debian packages the tests, the benchmarks and `npm start` need. Run as root (or it uses sudo).
#   opentracker        a real tracker (HTTP + UDP) the tracker tests talk to
#   openssl            makes the certificate of the HTTPS tracker tests
#   chromium           the browser that drives VS Code in the end-to-end tests
#   libkrb5-dev, pkg-config, ripgrep   what code-server's npm install builds against
#   transmission-cli   transmission-show/-create/-edit/-remote: oracles in the tests, comparisons in `npm run bench`
#   transmission-daemon a second real BitTorrent peer for the peer-protocol tests
#   python3-libtorrent libtorrent 2.0: the reference reader, creator, checker and peer the tests compare with
#   mktorrent          the reference v1 creator the tests and the benchmarks compare with
#   time               GNU time: the peak memory of the processes `npm run bench` compares
set -euo pipefail
packages=(opentracker openssl chromium libkrb5-dev pkg-config ripgrep transmission-cli transmission-daemon python3-libtorrent mktorrent time)
missing=()
for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then
  echo "Debian packages: all present (${packages[*]})"
  exit 0
fi
run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
echo "Installing Debian packages: ${missing[*]}"
run env DEBIAN_FRONTEND=noninteractive apt-get update -q
run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
