#!/usr/bin/env bash
# down.sh [RUN] — stop the e2e node started by up.sh and put the host back as up.sh found it:
# the pids it recorded (never a name match), the runc shims of ITS containerd socket, every
# mount under RUN and the pod network namespaces it left, its network namespace (with the node
# IP, the bridge, pod veths and the kubelet's iptables chains inside), the host's iptables if
# anything changed them, the kubepods cgroups it created, the sysctls the kubelet set.
# Idempotent: safe to run twice, after a half-finished up.sh, or when nothing runs.
set -uo pipefail
RUN="${1:-${K3SC_NODE_RUN:-/var/tmp/k3sc-e2e}}"
log() { echo "node-down: $(date +%T) $*" >&2; }
[ -d "$RUN" ] || { log "nothing at $RUN"; exit 0; }
RUN="$(cd "$RUN" && pwd)"
H="$RUN/host"
stop_pid() { # name [seconds]
  local f="$RUN/$1.pid" pid
  [ -f "$f" ] || return 0
  pid="$(cat "$f")"
  local s; s=$(date +%s%3N)
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 $((${2:-10} * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { log "$1 ($pid) ignored SIGTERM: SIGKILL"; kill -KILL "$pid"; }
    log "stopped $1 in $(($(date +%s%3N) - s)) ms"
  fi
  rm -f "$f"
}
SOCK="$RUN/containerd/containerd.sock"
CTR=(ctr --address "$SOCK" -n k8s.io)

# 1. kubelet first (so it restarts nothing), then the containers it left, then containerd.
t0=$(date +%s%3N)
stop_pid kubelet 15
if [ -f "$RUN/containerd.pid" ] && kill -0 "$(cat "$RUN/containerd.pid")" 2>/dev/null; then
  for id in $("${CTR[@]}" tasks ls -q 2>/dev/null); do "${CTR[@]}" tasks delete --force "$id" >/dev/null 2>&1; done
  for id in $("${CTR[@]}" containers ls -q 2>/dev/null); do "${CTR[@]}" containers delete "$id" >/dev/null 2>&1; done
fi
stop_pid containerd 15
for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $SOCK" 2>/dev/null); do
  log "stopping leftover shim $pid"; kill -KILL "$pid" 2>/dev/null
done
stop_pid bridge-netns; stop_pid bridge-host

# 2. mounts: everything under RUN (overlay roots, shm, kubelet volumes), deepest first, and the
#    pod network namespaces (/run/netns/cni-*) that were not there before.
CDROOT="$(cat "$H/containerd-root" 2>/dev/null || echo "$RUN/none")"
for _ in 1 2 3; do
  awk -v r="$RUN/" -v c="$CDROOT/" 'index($2, r) == 1 || index($2, c) == 1 {print $2}' /proc/self/mounts | sort -r \
    | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done
done
if [ -f "$H/netns-before" ]; then
  for n in $(ls /run/netns 2>/dev/null); do
    [[ "$n" == cni-* ]] || continue
    grep -qx "$n" "$H/netns-before" && continue
    umount "/run/netns/$n" 2>/dev/null || umount -l "/run/netns/$n" 2>/dev/null; rm -f "/run/netns/$n"
    log "removed pod netns $n"
  done
fi

# 3. the node's own network namespace: its lo address, bridge, veths and iptables go with it.
NS="$(cat "$H/netns" 2>/dev/null || echo "${K3SC_NODE_NETNS:-k3sc-e2e}")"
if ip netns list 2>/dev/null | grep -qw "^$NS"; then ip netns delete "$NS" && log "deleted netns $NS"; fi
if [ -f "$H/run-netns-created" ] && [ -d /run/netns ] && [ -z "$(ls -A /run/netns)" ]; then
  umount /run/netns 2>/dev/null; rmdir /run/netns 2>/dev/null && log "removed /run/netns"
fi

# 4. host iptables: nothing should have changed them (the kubelet's chains live in the
#    namespace); restore the saved rules if something did.
for t in iptables ip6tables; do
  [ -f "$H/$t" ] || continue
  now="$("$t-save" 2>/dev/null | grep -v '^#')"
  if [ "$now" != "$(grep -v '^#' "$H/$t")" ]; then
    if [ -s "$H/$t" ]; then "$t-restore" <"$H/$t"; else
      for tb in filter nat mangle raw; do "$t" -t "$tb" -F 2>/dev/null; "$t" -t "$tb" -X 2>/dev/null; done
      for c in INPUT FORWARD OUTPUT; do "$t" -P "$c" ACCEPT 2>/dev/null; done
    fi
    log "restored host $t rules"
  fi
done

# 5. the kubepods cgroups (cgroup v1: one tree per controller), if up.sh's kubelet made them.
if [ -f "$H/kubepods-before" ]; then
  for d in /sys/fs/cgroup/*/kubepods; do
    [ -d "$d" ] || continue
    grep -qx "$d" "$H/kubepods-before" && continue
    find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || log "cgroup $d still busy"
  done
fi
[ -f "$H/run-containerd-existed" ] || { [ -d /run/containerd ] && rm -rf /run/containerd; }

# 6. sysctls the kubelet set.
if [ -f "$H/sysctl" ]; then
  while read -r k v; do
    [ "$(cat "/proc/sys/$k")" = "$v" ] || { echo "$v" >"/proc/sys/$k" && log "restored $k=$v"; }
  done <"$H/sysctl"
fi

if [ "${K3SC_NODE_KEEP_LOGS:-0}" = 1 ]; then
  find "$RUN" -mindepth 1 -maxdepth 1 ! -name logs -exec rm -rf {} + 2>/dev/null
  log "stopped; logs kept in $RUN/logs"
else
  rm -rf "$RUN"; log "stopped in $(($(date +%s%3N) - t0)) ms"
fi
