#!/usr/bin/env bash
# A Cilium cluster made the way a user would make one, without netrepro: kind,
# then a plain `helm install cilium` with the chart's defaults. It is how
# existing-cluster mode (NETREPRO_KUBECONFIG) is checked on a cluster the suite
# did not make. Only what this machine cannot do differently is set:
#   - images: the ones `npm run images` built (no registry here), loaded by kind;
#   - envoy.enabled=false, l7Proxy=false: no Envoy image can be built here;
#   - without kube-proxy, the API server address Cilium must use.
#
# usage: tools/plain-cluster.sh create <name> [--no-kube-proxy]
#        tools/plain-cluster.sh delete <name>
# env:   CILIUM_CHART  chart to install (default: cilium/cilium from helm.cilium.io;
#                      here, the chart inside the Cilium Go module)
#        CILIUM_VERSION  patch release (default: the pinned default minor)
#        KUBECONFIG_OUT  where to write the kubeconfig (default: ./<name>.kubeconfig)
set -euo pipefail

cd "$(dirname "$0")/.."
BIN="${NETREPRO_CACHE:-$HOME/.cache/netrepro}/bin"
KIND="$(command -v kind || echo "$BIN/kind")"
HELM="$(command -v helm || echo "$BIN/helm")"
pin() { node -p "const p=require('./pins.json'); $1"; }

usage() { echo "usage: $0 create <name> [--no-kube-proxy] | delete <name>" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
action=$1 name=$2 kube_proxy=iptables
[[ ${3:-} == --no-kube-proxy ]] && kube_proxy=none
[[ -z ${3:-} || ${3:-} == --no-kube-proxy ]] || usage
kubeconfig="${KUBECONFIG_OUT:-$PWD/$name.kubeconfig}"

if [[ $action == delete ]]; then
  "$KIND" delete cluster --name "$name"
  rm -f "$kubeconfig"
  exit 0
fi
[[ $action == create ]] || usage

version="${CILIUM_VERSION:-$(pin 'p.cilium.versions[p.cilium.default]')}"
node_image="netrepro/kind-node:$(pin p.kubernetes)"
chart="${CILIUM_CHART:-cilium/cilium}"
started=$SECONDS
say() { echo "[plain-cluster] $* ($((SECONDS - started)) s)"; }

say "kind create cluster $name: 1 control plane + 1 worker, no CNI, kube-proxy $kube_proxy"
# A half-made cluster is deleted if any later step fails.
trap '[[ $? -eq 0 ]] || { echo "[plain-cluster] failed: deleting $name" >&2; "$KIND" delete cluster --name "$name" >/dev/null 2>&1; rm -f "$kubeconfig"; }' EXIT
"$KIND" create cluster --name "$name" --image "$node_image" --kubeconfig "$kubeconfig" --config - <<EOF
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking:
  disableDefaultCNI: true
  kubeProxyMode: $kube_proxy
nodes:
  - role: control-plane
  - role: worker
EOF

for image in cilium:v$version cilium-operator-generic:v$version curl:bookworm nginx:trixie agnhost:$(pin p.kubernetes) ingress-nginx-controller:$(pin p.ingressNginx.version); do
  say "kind load docker-image netrepro/$image"
  "$KIND" load docker-image --name "$name" "netrepro/$image" >/dev/null
done

set_args=(
  --set image.repository=netrepro/cilium --set image.tag="v$version" --set image.useDigest=false --set image.pullPolicy=Never
  --set operator.image.repository=netrepro/cilium-operator --set operator.image.tag="v$version"
  --set operator.image.useDigest=false --set operator.image.pullPolicy=Never
  --set envoy.enabled=false --set l7Proxy=false
)
if [[ $kube_proxy == none ]]; then
  set_args+=(--set kubeProxyReplacement=true --set k8sServiceHost="$name-control-plane" --set k8sServicePort=6443)
fi
say "helm install cilium $chart (Cilium $version)"
# A chart from a repository needs its version; a chart directory is one version already.
[[ -d $chart ]] || set_args+=(--version "$version")
"$HELM" install cilium "$chart" --kubeconfig "$kubeconfig" --namespace kube-system "${set_args[@]}" --wait --timeout 10m >/dev/null
say "done: KUBECONFIG=$kubeconfig"
