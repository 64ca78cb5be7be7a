#!/usr/bin/env bash
# Builds dist/magda-sla-bot: one statically linked file that runs on any Linux of its
# architecture, with SQLite (cgo) and the Europe/Brussels time zone data (time/tzdata)
# inside, and dist/rootfs/ for the container image (deploy/Containerfile): the CA
# certificates of this machine and the empty data directory of the volume.
# Needs Go 1.26, gcc and the static C library (Debian: gcc libc6-dev).
set -euo pipefail
cd "$(dirname "$0")/.."
out=dist
mkdir -p "$out/rootfs/data" "$out/rootfs/etc/ssl/certs"
version=$(git describe --always --dirty 2>/dev/null || echo unknown)
# osusergo, netgo: the pure-Go user and DNS lookups, so glibc's NSS (which cannot be
# linked statically) is never called. sqlite_omit_load_extension: no dlopen either.
CGO_ENABLED=1 go build -trimpath \
  -tags 'osusergo netgo sqlite_omit_load_extension' \
  -ldflags "-s -w -X main.version=$version -linkmode external -extldflags -static" \
  -o "$out/magda-sla-bot" ./cmd/bot
if ldd "$out/magda-sla-bot" >/dev/null 2>&1; then
  echo "build.sh: $out/magda-sla-bot is dynamically linked" >&2; exit 1
fi
# Slack, Teams and SMTP over TLS need the public CAs; a scratch image has none.
cp /etc/ssl/certs/ca-certificates.crt "$out/rootfs/etc/ssl/certs/"
echo "built $out/magda-sla-bot ($version)"
