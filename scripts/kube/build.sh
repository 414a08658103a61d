#!/usr/bin/env bash
# Builds the Kubernetes binaries k3sc's cluster tests run (etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler, kubelet) from their Go modules, once,
# into a cache OUTSIDE the clone, keyed by version. A second run is a no-op.
#
#   K3SC_KUBE_CACHE  cache root (default /var/cache/k3sc-kube)
#   K3SC_KUBE_BINS   which binaries (default: all five; the cluster suite needs
#                    etcd kube-apiserver kube-controller-manager)
#
# The last line of stdout is the bin directory.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KUBE_VERSION=v1.37.2
ETCD_VERSION=v3.7.3
CACHE="${K3SC_KUBE_CACHE:-/var/cache/k3sc-kube}"
BIN="$CACHE/bin/kube-$KUBE_VERSION-etcd-$ETCD_VERSION"
read -r -a want <<<"${K3SC_KUBE_BINS:-etcd kube-apiserver kube-controller-manager kube-scheduler kubelet}"
log() { echo "kube-build: $*" >&2; }

missing=()
for b in "${want[@]}"; do [ -x "$BIN/$b" ] || missing+=("$b"); done
if [ ${#missing[@]} -eq 0 ]; then log "cached in $BIN"; echo "$BIN"; exit 0; fi
# Two test projects' globalSetups may call this at once (npm test): one builds, the other waits
# and then finds the binaries.
mkdir -p "$CACHE"
exec 9>"$CACHE/.build.lock"
flock 9
missing=()
for b in "${want[@]}"; do [ -x "$BIN/$b" ] || missing+=("$b"); done
if [ ${#missing[@]} -eq 0 ]; then log "cached in $BIN"; echo "$BIN"; exit 0; fi
command -v go >/dev/null || { log "go is not installed (need Go >= 1.26)"; exit 1; }

mkdir -p "$BIN" "$CACHE/src"
export GOPATH="$CACHE/gopath" GOMODCACHE="$CACHE/gomodcache" GOCACHE="$CACHE/gocache"
export GOFLAGS=-mod=mod CGO_ENABLED=0
t0=$(date +%s)

module_dir() { # name wrapper-subdir -> prepared module dir
  local dir="$CACHE/src/$1"
  mkdir -p "$dir"
  cp "$HERE/wrapper/$2/go.mod" "$HERE/wrapper/$2/go.sum" "$dir/"
  echo "$dir"
}

if [[ " ${missing[*]} " == *" etcd "* ]]; then
  dir=$(module_dir "etcd-$ETCD_VERSION" etcd)
  printf '//go:build tools\n\npackage etcdwrapper\n\nimport _ "go.etcd.io/etcd/server/v3"\n' >"$dir/tools.go"
  s=$(date +%s); log "building etcd $ETCD_VERSION"
  (cd "$dir" && go build -trimpath -ldflags "-s -w" -o "$BIN/etcd.tmp" go.etcd.io/etcd/server/v3)
  mv "$BIN/etcd.tmp" "$BIN/etcd"; log "etcd built in $(($(date +%s) - s))s"
fi

dir=$(module_dir "kube-$KUBE_VERSION" kube)
printf '//go:build tools\n\npackage kubewrapper\n\nimport (\n\t_ "k8s.io/kubernetes/cmd/kube-apiserver"\n\t_ "k8s.io/kubernetes/cmd/kube-controller-manager"\n\t_ "k8s.io/kubernetes/cmd/kube-scheduler"\n\t_ "k8s.io/kubernetes/cmd/kubelet"\n)\n' >"$dir/tools.go"
minor=${KUBE_VERSION#v1.}; minor=${minor%%.*}
ldf="-s -w -X k8s.io/component-base/version.gitVersion=$KUBE_VERSION -X k8s.io/component-base/version.gitMajor=1"
ldf+=" -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
for b in kube-apiserver kube-controller-manager kube-scheduler kubelet; do
  [[ " ${missing[*]} " == *" $b "* ]] || continue
  s=$(date +%s); log "building $b $KUBE_VERSION (slow on 2 cores)"
  (cd "$dir" && go build -trimpath -ldflags "$ldf" -o "$BIN/$b.tmp" "k8s.io/kubernetes/cmd/$b")
  mv "$BIN/$b.tmp" "$BIN/$b"; log "$b built in $(($(date +%s) - s))s"
done
log "done in $(($(date +%s) - t0))s"
echo "$BIN"
