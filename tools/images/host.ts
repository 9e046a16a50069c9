import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { cacheDir } from './cache.ts';
import { buildOwnGo, ownSources } from './ownsrc.ts';
import { ensureInotifyLimits, inotifyShortfall } from '../../clusters/provision/host-limits.ts';
import type { Runner } from './run.ts';
import type { Step } from './steps.ts';

/** Debian packages the build needs on the host. */
export const HOST_PACKAGES = ['docker.io', 'debootstrap', 'libseccomp-dev', 'pkg-config', 'gcc', 'libc6-dev', 'iptables'];

/** Where our runc wrapper is installed on the host, and the runc it calls. */
export const HOST_WRAPPER = '/usr/local/sbin/netrepro-runc';
export const HOST_RUNC = '/usr/sbin/runc';
export const RUNTIME_NAME = 'netrepro-runc';
const DAEMON_JSON = '/etc/docker/daemon.json';

async function missingPackages(r: Runner): Promise<string[]> {
  const missing: string[] = [];
  for (const pkg of HOST_PACKAGES) {
    const res = await r.run('dpkg-query', ['-W', '-f=${Status}', pkg], { capture: true, allowFailure: true });
    if (!res.stdout.includes('install ok installed')) missing.push(pkg);
  }
  return missing;
}

export async function installPackages(r: Runner): Promise<void> {
  const missing = await missingPackages(r);
  if (missing.length === 0) return;
  console.log(`  installing Debian packages: ${missing.join(' ')}`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  await r.run('apt-get', ['update'], { env });
  await r.run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env });
}

/** Capability names (index = number) of the ones this process's bounding set lacks. */
export function missingBoundingCaps(status = readFileSync('/proc/self/status', 'utf8')): number[] {
  const hex = /^CapBnd:\s*([0-9a-f]+)/m.exec(status)?.[1];
  if (!hex) return [];
  const bnd = BigInt(`0x${hex}`);
  const lastCap = Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8').trim());
  const out: number[] = [];
  for (let i = 0; i <= lastCap; i++) if ((bnd & (1n << BigInt(i))) === 0n) out.push(i);
  return out;
}

export async function dockerAnswers(r: Runner): Promise<boolean> {
  const res = await r.run('docker', ['info', '--format', '{{.ServerVersion}}'], { capture: true, allowFailure: true, timeout: 20_000 });
  return res.exitCode === 0;
}

async function defaultRuntime(r: Runner): Promise<string> {
  const res = await r.run('docker', ['info', '--format', '{{.DefaultRuntime}}'], { capture: true, allowFailure: true });
  return res.stdout.trim();
}

function dockerdPid(): number | undefined {
  try {
    const pid = Number(readFileSync('/var/run/docker.pid', 'utf8').trim());
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

async function waitFor(what: string, r: Runner, check: () => Promise<boolean>, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((res) => setTimeout(res, 1000));
  }
  r.fail(`waiting ${seconds}s for ${what}`);
}

/** Starts dockerd in the background (no systemd here), logging to the cache dir. */
async function startDockerd(r: Runner): Promise<void> {
  const log = join(cacheDir('logs'), 'dockerd.log');
  console.log(`  starting dockerd (log: ${log})`);
  const fd = openSync(log, 'a');
  const child = spawn('dockerd', [], { detached: true, stdio: ['ignore', fd, fd] });
  child.unref();
  await waitFor('dockerd to answer `docker info`', r, () => dockerAnswers(r), 60);
}

async function stopDockerd(r: Runner): Promise<void> {
  const pid = dockerdPid();
  if (!pid) return;
  console.log(`  restarting dockerd (pid ${pid}) to load ${DAEMON_JSON}`);
  process.kill(pid, 'SIGTERM');
  await waitFor('dockerd to stop', r, async () => dockerdPid() === undefined, 60);
}

/** Merges our runtime into daemon.json; says whether the file changed. */
function configureRuntime(): boolean {
  let cfg: Record<string, unknown> = {};
  if (existsSync(DAEMON_JSON)) cfg = JSON.parse(readFileSync(DAEMON_JSON, 'utf8') || '{}') as Record<string, unknown>;
  const runtimes = (cfg.runtimes ?? {}) as Record<string, { path: string }>;
  if (runtimes[RUNTIME_NAME]?.path === HOST_WRAPPER && cfg['default-runtime'] === RUNTIME_NAME) return false;
  cfg.runtimes = { ...runtimes, [RUNTIME_NAME]: { path: HOST_WRAPPER } };
  cfg['default-runtime'] = RUNTIME_NAME;
  mkdirSync('/etc/docker', { recursive: true });
  writeFileSync(DAEMON_JSON, JSON.stringify(cfg, null, 2) + '\n');
  return true;
}

/** Kernel options the cluster variants use, and who needs them. */
const KERNEL_FEATURES: Array<[string, string]> = [
  ['CONFIG_OVERLAY_FS', 'docker and nested containerd storage'],
  ['CONFIG_VETH', 'every pod network'],
  ['CONFIG_BRIDGE', 'docker networks'],
  ['CONFIG_NF_CONNTRACK', 'kube-proxy, Cilium'],
  ['CONFIG_NF_TABLES', 'iptables-nft (kube-proxy, kindnetd)'],
  ['CONFIG_NFT_COMPAT', 'iptables-nft xt matches'],
  ['CONFIG_IP_NF_IPTABLES', 'iptables-legacy'],
  ['CONFIG_NETFILTER_XT_MATCH_CONNTRACK', 'kube-proxy ctstate rules (story C)'],
  ['CONFIG_NETFILTER_XT_MATCH_SOCKET', 'Cilium'],
  ['CONFIG_NETFILTER_XT_TARGET_TPROXY', 'Cilium L7 / TPROXY'],
  ['CONFIG_BPF_SYSCALL', 'Cilium'],
  ['CONFIG_CGROUP_BPF', 'Cilium socket LB (story A)'],
  ['CONFIG_NET_CLS_BPF', 'Cilium'],
  ['CONFIG_NET_SCH_INGRESS', 'Cilium clsact'],
  ['CONFIG_DEBUG_INFO_BTF', 'Cilium'],
  ['CONFIG_VXLAN', 'Cilium tunnel (vxlan)'],
  ['CONFIG_GENEVE', 'Cilium tunnel (geneve) — use vxlan'],
  ['CONFIG_INET_DIAG_DESTROY', 'Cilium socket termination (story A)'],
  ['CONFIG_IP_VS', 'kube-proxy ipvs mode (unused)'],
  ['CONFIG_NET_SCH_FQ', 'Cilium bandwidth manager (unused)'],
  ['CONFIG_NET_ACT_BPF', 'tc BPF actions'],
  ['CONFIG_CRYPTO_USER_API_HASH', 'Cilium IPsec / some probes'],
];

export function kernelReport(): string[] {
  const lines: string[] = [];
  let config = '';
  try {
    config = gunzipSync(readFileSync('/proc/config.gz')).toString('utf8');
  } catch {
    return ['kernel: /proc/config.gz not readable; kernel features not checked'];
  }
  const value = (opt: string) => new RegExp(`^${opt}=(\\S+)`, 'm').exec(config)?.[1];
  const missing = KERNEL_FEATURES.filter(([opt]) => value(opt) !== 'y');
  for (const [opt, who] of missing) {
    const v = value(opt);
    lines.push(`kernel: ${opt} ${v === 'm' ? 'is a module (modules may not load here)' : 'missing'} — needed by ${who}`);
  }
  const cg = existsSync('/sys/fs/cgroup/cgroup.controllers') ? 'v2 (unified)' : existsSync('/sys/fs/cgroup/unified') ? 'v1 (hybrid)' : 'v1';
  lines.push(`kernel: cgroup ${cg}; ${KERNEL_FEATURES.length - missing.length}/${KERNEL_FEATURES.length} checked features built in`);
  return lines;
}

export const hostStep: Step = {
  name: 'host',
  summary: 'Debian packages, dockerd running, runc capability wrapper when the bounding set needs it, kernel check',
  deps: [],
  inputs: () => ({ recipe: 2, pkgs: HOST_PACKAGES, wrapper: ownSources('runc-nocap') }),
  // Cheap and about live state: checked on every run.
  async present(ctx) {
    if (!(await dockerAnswers(ctx.r))) return false;
    if (inotifyShortfall().length > 0) return false;
    if (missingBoundingCaps().length === 0) return true;
    return existsSync(HOST_WRAPPER) && (await defaultRuntime(ctx.r)) === RUNTIME_NAME;
  },
  async run({ r }) {
    await installPackages(r);
    for (const line of kernelReport()) console.log(`  ${line}`);
    ensureInotifyLimits();
    const missingCaps = missingBoundingCaps();
    let changed = false;
    if (missingCaps.length > 0) {
      console.log(`  capability bounding set lacks cap numbers ${missingCaps.join(', ')} → docker default runtime ${HOST_WRAPPER}`);
      const tmp = join(cacheDir('out'), 'runc-nocap-host');
      await buildOwnGo(r, 'runc-nocap', tmp, { ldflags: [`-X main.realRuntime=${HOST_RUNC}`] });
      await r.run('install', ['-m', '0755', tmp, HOST_WRAPPER]);
      changed = configureRuntime();
    }
    if (changed && dockerdPid()) await stopDockerd(r);
    if (!(await dockerAnswers(r))) await startDockerd(r);
    if (missingCaps.length > 0 && (await defaultRuntime(r)) !== RUNTIME_NAME) {
      r.fail(`dockerd did not pick up default-runtime ${RUNTIME_NAME} from ${DAEMON_JSON}`);
    }
  },
};
