#!/usr/bin/env bash
# up.sh — a real Kubernetes node for k3sc's e2e tests: containerd (Debian's, CRI) + runc + the
# CNI bridge + kubelet, all inside a network namespace of its own. The control plane (etcd,
# kube-apiserver, kube-controller-manager with node-lifecycle-controller, kube-scheduler) runs on
# the host's 127.0.0.1 (src/testing/kube/kube-cluster.ts) and is reached through Unix sockets:
#
#   kubelet --TCP 127.0.0.1:API_PORT (netns)--> netns-bridge --api.sock--> host bridge --> apiserver
#   apiserver --egress selector "cluster", HTTP CONNECT over egress.sock--> netns-bridge --> kubelet
#
# so the node IP, the pod IPs and the bridge exist only inside the namespace and the host gets
# no address, link or route. Everything changed on the host is recorded under $RUN/host and put
# back by down.sh (run from a trap on any failure here).
#
# Environment (the e2e globalSetup sets these):
#   K3SC_NODE_API_PORT  the API server's port on the host's 127.0.0.1              (required)
#   K3SC_NODE_CA_DIR    folder with the cluster CA's ca.crt and ca.key              (required)
#   K3SC_NODE_IMAGES    folder whose *.tar (docker save) are imported into k8s.io   (required)
#   K3SC_NODE_BIN       folder with kubelet (scripts/kube/build.sh; default: build it)
#   K3SC_NODE_RUN       state folder (default /var/tmp/k3sc-e2e); down.sh removes it
#   K3SC_NODE_NAME      node name (default k3sc-e2e)       K3SC_NODE_NETNS  (default k3sc-e2e)
#   K3SC_NODE_IP        node IP inside the netns (default 10.250.77.1)
#   K3SC_POD_SUBNET     pod bridge subnet (default 10.250.78.0/24)
#   K3SC_PAUSE_IMAGE    sandbox image (default k3sc/pause:dev)
#   K3SC_NODE_CONTAINERD_ROOT  containerd's content store and snapshots (default
#                       /var/cache/k3sc-e2e/containerd): kept between runs like an image cache,
#                       so the images are imported (~1 min for 1.4 GB) once per images key
# The last line of stdout is $RUN/node.env (NODE_NAME, NODE_IP, NETNS, CONTAINERD_ADDRESS, ...).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
: "${K3SC_NODE_API_PORT:?}" "${K3SC_NODE_CA_DIR:?}" "${K3SC_NODE_IMAGES:?}"
RUN="${K3SC_NODE_RUN:-/var/tmp/k3sc-e2e}"
NAME="${K3SC_NODE_NAME:-k3sc-e2e}"
NS="${K3SC_NODE_NETNS:-k3sc-e2e}"
NODE_IP="${K3SC_NODE_IP:-10.250.77.1}"
POD_SUBNET="${K3SC_POD_SUBNET:-10.250.78.0/24}"
PAUSE="${K3SC_PAUSE_IMAGE:-k3sc/pause:dev}"
PORT="$K3SC_NODE_API_PORT"
log() { echo "node-up: $(date +%T) $*" >&2; }
ms() { date +%s%3N; }
T0=$(ms)

need=()
command -v containerd >/dev/null || need+=(containerd)
command -v runc >/dev/null || need+=(runc)
[ -x /usr/lib/cni/bridge ] || need+=(containernetworking-plugins)
command -v iptables >/dev/null || need+=(iptables)
command -v jq >/dev/null || need+=(jq)
if [ ${#need[@]} -gt 0 ]; then
  log "apt-get install ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
BIN="${K3SC_NODE_BIN:-$(K3SC_KUBE_BINS=kubelet "$REPO/scripts/kube/build.sh" | tail -n1)}"
[ -x "$BIN/kubelet" ] || { log "no kubelet in $BIN"; exit 1; }

[ -e "$RUN/host" ] && { log "$RUN is in use: run scripts/node/down.sh first"; exit 1; }
ip netns list | grep -qw "^$NS" && { log "netns $NS exists: run scripts/node/down.sh first"; exit 1; }
mkdir -p "$RUN"/{host,pki,logs,kubelet,pod-logs,cni/conf,cni/ipam,containerd}
RUN="$(cd "$RUN" && pwd)"
trap 'rc=$?; [ $rc -eq 0 ] || { log "failed (rc=$rc); logs: $RUN/logs"; K3SC_NODE_KEEP_LOGS=1 "$HERE/down.sh" "$RUN" || true; }' EXIT

# ---- 1. what the host looks like before (down.sh puts it back) ----
H="$RUN/host"
echo "$NS" >"$H/netns"
for k in vm/overcommit_memory vm/panic_on_oom kernel/panic kernel/panic_on_oops \
  kernel/keys/root_maxkeys kernel/keys/root_maxbytes; do echo "$k $(cat "/proc/sys/$k")"; done >"$H/sysctl"
iptables-save >"$H/iptables" 2>/dev/null || true
ip6tables-save >"$H/ip6tables" 2>/dev/null || true
ls -d /sys/fs/cgroup/*/kubepods 2>/dev/null >"$H/kubepods-before" || true
ls /run/netns >"$H/netns-before" 2>/dev/null || true
[ -d /run/netns ] || touch "$H/run-netns-created" # `ip netns add` makes it a shared bind mount
[ -d /run/containerd ] && touch "$H/run-containerd-existed"

# ---- 2. the network namespace: loopback, the node IP, nothing on the host ----
t=$(ms)
ip netns add "$NS"
ip -n "$NS" link set lo up
# The kubelet refuses a 127.x node IP and this kernel has no dummy links: a /32 on the
# namespace's own lo (the namespace's routing table only).
ip -n "$NS" addr add "$NODE_IP/32" dev lo
IN=(nsenter "--net=/run/netns/$NS")
NODEJS="$(command -v node)" # same mount namespace as the host, so down.sh sees every mount
cat >"$RUN/cni/conf/10-k3sc-e2e.conflist" <<JSON
{ "cniVersion": "0.4.0", "name": "k3sc-e2e",
  "plugins": [
    { "type": "bridge", "bridge": "k3scbr0", "isGateway": true, "isDefaultGateway": true, "ipMasq": false,
      "ipam": { "type": "host-local", "dataDir": "$RUN/cni/ipam",
                "ranges": [[{ "subnet": "$POD_SUBNET", "gateway": "${POD_SUBNET%.*}.1" }]] } },
    { "type": "loopback" } ] }
JSON
start() { # name [nsenter...] cmd...: its own session; down.sh signals its pid only
  local name=$1; shift
  setsid "$@" >"$RUN/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}
start bridge-host "$NODEJS" "$HERE/netns-bridge.mjs" uds-to-tcp "$RUN/api.sock" 127.0.0.1 "$PORT"
start bridge-netns "${IN[@]}" "$NODEJS" "$HERE/netns-bridge.mjs" tcp-to-uds 127.0.0.1 "$PORT" "$RUN/api.sock" \
  + connect-proxy "$RUN/egress.sock"
T_net=$(($(ms) - t))

# ---- 3. certificates: the kubelet is system:node:$NAME (client cert), serves with a CA-signed cert ----
P="$RUN/pki"
sign() { # name subject extensions
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -keyout "$P/$1.key" \
    -out "$P/$1.csr" -subj "$2" 2>/dev/null
  printf '%b\n' "$3" >"$P/$1.ext"
  openssl x509 -req -sha256 -days 30 -in "$P/$1.csr" -CA "$K3SC_NODE_CA_DIR/ca.crt" \
    -CAkey "$K3SC_NODE_CA_DIR/ca.key" -CAcreateserial -CAserial "$P/ca.srl" -out "$P/$1.crt" \
    -extfile "$P/$1.ext" 2>/dev/null
}
sign kubelet-client "/O=system:nodes/CN=system:node:$NAME" "extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature"
sign kubelet-serving "/CN=$NAME" "subjectAltName=IP:$NODE_IP,DNS:$NAME\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature"
cp "$K3SC_NODE_CA_DIR/ca.crt" "$P/ca.crt"
chmod 600 "$P"/*.key
cat >"$RUN/kubelet.kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters: [{name: e2e, cluster: {server: "https://127.0.0.1:$PORT", certificate-authority: "$P/ca.crt"}}]
users: [{name: node, user: {client-certificate: "$P/kubelet-client.crt", client-key: "$P/kubelet-client.key"}}]
contexts: [{name: node, context: {cluster: e2e, user: node}}]
current-context: node
YAML

# ---- 4. containerd (CRI), in the namespace ----
t=$(ms)
CD="$RUN/containerd"; SOCK="$CD/containerd.sock"
CDROOT="${K3SC_NODE_CONTAINERD_ROOT:-/var/cache/k3sc-e2e/containerd}"
mkdir -p "$CDROOT"; echo "$CDROOT" >"$H/containerd-root"
cat >"$CD/config.toml" <<TOML
version = 2
root = "$CDROOT"
state = "$CD/state"
oom_score = 0
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE"
  # This VM cannot lower an oom_score_adj (no CAP_SYS_RESOURCE): clamp to containerd's own.
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$CD/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$RUN/cni/conf"
    max_conf_num = 1
TOML
start containerd "${IN[@]}" containerd --config "$CD/config.toml"
for _ in $(seq 1 100); do ctr --address "$SOCK" version >/dev/null 2>&1 && break; sleep 0.2; done
ctr --address "$SOCK" version >/dev/null
# Containers a run killed hard left in the kept store: the kubelet must start from none.
for id in $(ctr --address "$SOCK" -n k8s.io containers ls -q 2>/dev/null); do
  ctr --address "$SOCK" -n k8s.io containers delete "$id" >/dev/null 2>&1 || true
done
T_containerd=$(($(ms) - t))

# ---- 5. images: imported, never pulled (pods use imagePullPolicy: Never) ----
t=$(ms)
mark="$CDROOT/.k3sc-imported-$(basename "$K3SC_NODE_IMAGES")"
if [ ! -f "$mark" ]; then
  for f in "$K3SC_NODE_IMAGES"/*.tar; do
    ctr --address "$SOCK" -n k8s.io images import --all-platforms "$f" >/dev/null
  done
  rm -f "$CDROOT"/.k3sc-imported-*; touch "$mark"
fi
T_images=$(($(ms) - t))

# ---- 6. kubelet, in the namespace ----
t=$(ms)
cat >"$RUN/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: "$NODE_IP"
port: 10250
readOnlyPort: 0
healthzBindAddress: "127.0.0.1"
healthzPort: 10248
tlsCertFile: "$P/kubelet-serving.crt"
tlsPrivateKeyFile: "$P/kubelet-serving.key"
# Only the API server reaches this port (through egress.sock); it authenticates with no client
# certificate, so the kubelet allows anonymous requests. Nothing outside the namespace can dial it.
authentication: {anonymous: {enabled: true}, webhook: {enabled: false}, x509: {clientCAFile: "$P/ca.crt"}}
authorization: {mode: AlwaysAllow}
containerRuntimeEndpoint: "unix://$SOCK"
imageServiceEndpoint: "unix://$SOCK"
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
oomScoreAdj: 0
protectKernelDefaults: false
podLogsDir: "$RUN/pod-logs"
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
imageMinimumGCAge: 24h
evictionHard: {memory.available: "50Mi", nodefs.available: "1%", nodefs.inodesFree: "1%", imagefs.available: "1%", imagefs.inodesFree: "1%"}
evictionPressureTransitionPeriod: 10s
maxPods: 30
clusterDomain: cluster.local
resolvConf: /etc/resolv.conf
serializeImagePulls: false
nodeStatusUpdateFrequency: 5s
syncFrequency: 10s
registerNode: true
YAML
start kubelet "${IN[@]}" "$BIN/kubelet" --config="$RUN/kubelet.yaml" --kubeconfig="$RUN/kubelet.kubeconfig" \
  --root-dir="$RUN/kubelet" --cert-dir="$P/kubelet" --hostname-override="$NAME" --node-ip="$NODE_IP" \
  --v="${K3SC_KUBELET_V:-1}"
NODE=(curl -fsS --cacert "$P/ca.crt" --cert "$P/kubelet-client.crt" --key "$P/kubelet-client.key"
  "https://127.0.0.1:$PORT/api/v1/nodes/$NAME")
deadline=$(($(date +%s) + 120))
until [ "$("${NODE[@]}" 2>/dev/null | jq -r '(([.status.conditions[]? | select(.type=="Ready")][0].status) // "")
  + ([.spec.taints[]? | select(.effect!="PreferNoSchedule")] | length | tostring)')" = True0 ]; do
  kill -0 "$(cat "$RUN/kubelet.pid")" 2>/dev/null || { log "kubelet exited"; tail -30 "$RUN/logs/kubelet.log" >&2; exit 1; }
  [ "$(date +%s)" -lt "$deadline" ] || { log "node not Ready and schedulable"; "${NODE[@]}" | jq .status.conditions,.spec.taints >&2; exit 1; }
  sleep 0.25
done
T_kubelet=$(($(ms) - t))

cat >"$RUN/node.env" <<ENV
NODE_RUN=$RUN
NODE_NAME=$NAME
NODE_IP=$NODE_IP
NODE_NETNS=$NS
POD_SUBNET=$POD_SUBNET
CONTAINERD_ADDRESS=$SOCK
ENV
log "ready in $(($(ms) - T0)) ms (netns $T_net, containerd $T_containerd, images $T_images, kubelet to schedulable $T_kubelet)"
trap - EXIT
echo "$RUN/node.env"
