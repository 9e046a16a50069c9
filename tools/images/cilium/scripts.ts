/**
 * Scripts the Cilium chart runs inside the agent image, written by us from what
 * the chart's DaemonSet expects of them (their paths and environment are the
 * chart's interface; the bodies are ours):
 *
 *   /init-container.sh   init container clean-cilium-state: wipes BPF or all
 *                        state when the config map asks for it
 *   /install-plugin.sh   init container install-cni-binaries: copies cilium-cni
 *                        (and loopback when missing) into the host's CNI bin dir
 *   /cni-uninstall.sh    agent preStop hook: removes Cilium's CNI config when
 *                        the config map says cni-uninstall=true
 *
 * plus /usr/sbin/iptables-wrapper, which makes iptables in the agent use the
 * backend (nft or legacy) that the node already uses.
 */

/** clean-cilium-state: the chart passes the config map keys as these env vars. */
export const INIT_CONTAINER_SH = `#!/bin/sh
# netrepro: state cleanup for the clean-cilium-state init container.
# CLEAN_CILIUM_* are the older names of the same switches.
set -e
truthy() { [ "$1" = "true" ]; }
if truthy "\${CILIUM_BPF_STATE:-}" || truthy "\${CLEAN_CILIUM_BPF_STATE:-}"; then
  echo "removing Cilium BPF state"
  cilium-dbg post-uninstall-cleanup --force --bpf-state
fi
if truthy "\${CILIUM_ALL_STATE:-}" || truthy "\${CLEAN_CILIUM_STATE:-}"; then
  echo "removing all Cilium state"
  cilium-dbg post-uninstall-cleanup --force --all-state
fi
exit 0
`;

/** install-cni-binaries: the host's /opt/cni/bin is mounted at /host/opt/cni/bin. */
export const INSTALL_PLUGIN_SH = `#!/bin/bash
# netrepro: copy the CNI plugins of this image into the host's CNI bin dir.
set -euo pipefail
host_prefix=\${HOST_PREFIX:-/host}
bin_dir=\${CNI_DIR:-$host_prefix/opt/cni}/bin
mkdir -p "$bin_dir"

# Write to a hidden name first, then rename: a kubelet running the plugin
# concurrently never sees a half-written binary.
put() {
  local src=$1 dst=$bin_dir/$(basename "$1")
  cp "$src" "$bin_dir/.$(basename "$1").new"
  mv -f "$bin_dir/.$(basename "$1").new" "$dst"
  echo "installed $dst"
}

if [[ \${OVERWRITE_LOOPBACK:-false} == true || ! -f $bin_dir/loopback ]]; then
  put /cni/loopback || echo "warning: could not install loopback (usually already present)"
fi
if [[ \${OVERWRITE_CILIUM:-true} == true || ! -f $bin_dir/cilium-cni ]]; then
  put /opt/cni/bin/cilium-cni
fi
`;

/** preStop of the agent: only acts when the agent's config map enables cni-uninstall. */
export const CNI_UNINSTALL_SH = `#!/bin/bash
# netrepro: remove Cilium's CNI config on agent shutdown, when configured to.
set -euo pipefail
host_prefix=\${HOST_PREFIX:-/host}
conf_dir=\${CNI_CONF_DIR:-$host_prefix/etc/cni/net.d}
enabled=$(cat /tmp/cilium/config-map/cni-uninstall 2>/dev/null || true)
if [[ $enabled != true ]]; then
  echo "cni-uninstall is off; leaving $conf_dir alone"
  exit 0
fi
if [[ \${CILIUM_CUSTOM_CNI_CONF:-false} == true ]]; then
  echo "CNI config is managed outside Cilium; leaving $conf_dir alone"
  exit 0
fi
# Other plugins' configs were renamed *.cilium_bak by the agent; only ours go.
find "$conf_dir" -maxdepth 1 -type f -name '*cilium*' \\( -name '*.conf' -o -name '*.conflist' \\) -print -delete
`;

/**
 * iptables-wrapper: \`iptables-wrapper install\` points iptables, ip6tables and
 * their -save/-restore at this script. The first call looks at which backend
 * already holds rules (kubelet leaves KUBE-IPTABLES-HINT / KUBE-KUBELET-CANARY
 * in the mangle table of the one it uses), re-points the links at that
 * backend's xtables multi-binary, and re-executes the original command.
 */
export const IPTABLES_WRAPPER = `#!/bin/bash
# netrepro iptables-wrapper: use the iptables backend the host already uses.
set -euo pipefail
names=(iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore)
sbin=/usr/sbin

link_all() { # $1: target
  local n
  for n in "\${names[@]}"; do
    ln -sfn "$1" "$sbin/.$n.tmp"
    mv -Tf "$sbin/.$n.tmp" "$sbin/$n"
  done
}

if [[ \${1:-} == install && $(basename "$0") == iptables-wrapper ]]; then
  link_all "$sbin/iptables-wrapper"
  exit 0
fi

hinted() { # $1: nft|legacy
  local t
  for t in iptables ip6tables; do
    "$sbin/$t-$1-save" -t mangle 2>/dev/null | grep -qE '^:(KUBE-IPTABLES-HINT|KUBE-KUBELET-CANARY)' && return 0
  done
  return 1
}
count() { # rules in every table of backend $1
  { "$sbin/iptables-$1-save" 2>/dev/null || true; "$sbin/ip6tables-$1-save" 2>/dev/null || true; } | grep -c '^-' || true
}

if hinted nft; then mode=nft
elif hinted legacy; then mode=legacy
elif (( $(count legacy) > $(count nft) )); then mode=legacy
else mode=nft
fi
# nothing on stdout/stderr: callers parse the combined output of iptables
link_all "xtables-$mode-multi"
exec "$sbin/$(basename "$0")" "$@"
`;

/** All scripts of the agent image: path in the image → text. */
export const AGENT_SCRIPTS: Record<string, string> = {
  'init-container.sh': INIT_CONTAINER_SH,
  'install-plugin.sh': INSTALL_PLUGIN_SH,
  'cni-uninstall.sh': CNI_UNINSTALL_SH,
};
