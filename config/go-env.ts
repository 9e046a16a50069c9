import { cacheSubdir } from './paths.ts';

/** Module path prefixes whose versions the reachable checksum database may lack. */
export const NO_SUMDB = ['k8s.io/kubernetes', 'sigs.k8s.io/cri-tools', 'github.com/rancher/local-path-provisioner'];

/**
 * The environment of every Go command netrepro runs (image builds, chart
 * look-ups, actionlint): module and build caches under the cache root, the
 * machine's Go only (no toolchain downloads), no VCS stamping.
 */
export function goEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    GOMODCACHE: cacheSubdir('go', 'mod'),
    GOCACHE: cacheSubdir('go', 'build'),
    GOPATH: cacheSubdir('go', 'path'),
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-buildvcs=false -mod=mod',
    CGO_ENABLED: '0',
    GOWORK: 'off',
    // The checksum database this machine reaches (through the proxy) does not
    // know every version the proxy serves (seen: k8s.io/kubernetes v1.34.12, cri-tools v1.34.0, local-path-provisioner v0.0.33
    // → 404); such modules are checked against go.sum only.
    GONOSUMDB: NO_SUMDB.join(','),
    ...extra,
  };
}
