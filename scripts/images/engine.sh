# Sourced by scripts/images/build.sh: a private Docker engine (Debian's docker.io) for image
# builds, and the undoing of every change it makes to the host.
#
# dockerd runs with --iptables=false --ip-forward=false --bridge=none and builds use
# --network host, so it should touch no netfilter state, no sysctl and no link; the host's
# iptables rules, ip_forward and links are still saved before and put back after, in case.

ENGINE_RUN="${K3SC_IMAGES_RUN:-/run/k3sc-images}"
export DOCKER_HOST="unix://$ENGINE_RUN/docker.sock"
DOCKER=/usr/bin/docker # Debian's CLI (20.10): the classic builder, no buildx needed
export DOCKER_BUILDKIT=0

engine_save_host() {
  mkdir -p "$ENGINE_RUN/host"
  local h="$ENGINE_RUN/host"
  cat /proc/sys/net/ipv4/ip_forward >"$h/ip_forward"
  # dockerd's containerd puts its shim sockets in /run/containerd/s (not under --exec-root).
  [ -d /run/containerd ] && touch "$h/run-containerd-existed"
  ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | sort >"$h/links"
  for t in iptables ip6tables; do
    if command -v "$t-save" >/dev/null; then "$t-save" >"$h/$t.rules" 2>/dev/null || true; fi
  done
}

engine_restore_host() {
  local h="$ENGINE_RUN/host"
  [ -d "$h" ] || return 0
  [ -f "$h/ip_forward" ] && echo "$(cat "$h/ip_forward")" >/proc/sys/net/ipv4/ip_forward
  for t in iptables ip6tables; do
    [ -f "$h/$t.rules" ] || continue
    local now; now="$("$t-save" 2>/dev/null | grep -v '^#' || true)"
    if [ "$now" != "$(grep -v '^#' "$h/$t.rules")" ]; then
      if [ -s "$h/$t.rules" ]; then "$t-restore" <"$h/$t.rules"; else
        # Nothing was there before: flush and delete chains, policies back to ACCEPT.
        for tb in filter nat mangle raw; do
          "$t" -t "$tb" -F 2>/dev/null || true; "$t" -t "$tb" -X 2>/dev/null || true
        done
        for c in INPUT FORWARD OUTPUT; do "$t" -P "$c" ACCEPT 2>/dev/null || true; done
      fi
      log "restored $t rules"
    fi
  done
  for l in $(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1); do
    if ! grep -qx "$l" "$h/links" && [[ "$l" == docker0 || "$l" == veth* ]]; then
      ip link delete "$l" 2>/dev/null && log "deleted link $l"
    fi
  done
  [ -f "$h/run-containerd-existed" ] || { [ -d /run/containerd ] && rm -rf /run/containerd; }
  rm -rf "$h"
}

engine_start() {
  if [ -S "$ENGINE_RUN/docker.sock" ] && "$DOCKER" version >/dev/null 2>&1; then
    log "engine already answers on $DOCKER_HOST"; return 0
  fi
  engine_save_host
  mkdir -p "$ENGINE_RUN/exec" "$DATA_ROOT"
  setsid dockerd --data-root "$DATA_ROOT" --exec-root "$ENGINE_RUN/exec" \
    --host "$DOCKER_HOST" --pidfile "$ENGINE_RUN/dockerd.pid" --storage-driver overlay2 \
    --iptables=false --ip6tables=false --ip-forward=false --bridge=none \
    >"$ENGINE_RUN/dockerd.log" 2>&1 </dev/null &
  local pid=$!
  for _ in $(seq 1 100); do
    "$DOCKER" version >/dev/null 2>&1 && { log "dockerd up (pid $pid)"; return 0; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.3
  done
  log "dockerd did not start:"; tail -20 "$ENGINE_RUN/dockerd.log" >&2
  return 1
}

engine_stop() {
  local pidf="$ENGINE_RUN/dockerd.pid"
  if [ -f "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null; then
    local pid; pid="$(cat "$pidf")"
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.3; done
    kill -0 "$pid" 2>/dev/null && { log "dockerd $pid still alive: SIGKILL"; kill -KILL "$pid"; }
  fi
  # dockerd 20.10 leaves its netns bind mount and overlay mounts behind.
  awk -v r="$ENGINE_RUN/" -v d="$DATA_ROOT/" 'index($2, r) == 1 || index($2, d) == 1 {print $2}' \
    /proc/self/mounts | sort -r | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m"; done
  engine_restore_host
  rm -rf "$ENGINE_RUN"
}
