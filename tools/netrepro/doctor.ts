import { readFileSync } from 'node:fs';
import { VARIANTS } from '../../clusters/index.ts';
import { inotifyShortfall } from '../../clusters/provision/host-limits.ts';
import { pins } from '../../config/pins.ts';
import { resolveCiliumVersion } from '../../config/versions.ts';
import { buildCommandFor, missingLocalImages } from '../../harness/image-source.ts';
import { checkDockerRunning, checkTool, type Tool } from '../../harness/tools.ts';

/** One line of `netrepro doctor`: what was checked, what it found, and the fix when it is not ok. */
export interface Check {
  name: string;
  ok: boolean;
  found: string;
  fix?: string;
}

const attempt = async (name: string, fn: () => Promise<string>): Promise<Check> => {
  try {
    return { name, ok: true, found: await fn() };
  } catch (e) {
    const message = (e as Error).message;
    const fix = /run `([^`]+)`/.exec(message)?.[1];
    return { name, ok: false, found: message.replace(/: run `[^`]+`.*$/, ''), ...(fix ? { fix } : {}) };
  }
};

/** Kernel features the stories rely on, read from /proc (nothing is changed). */
function kernelChecks(read = (p: string) => readFileSync(p, 'utf8')): Check[] {
  const release = read('/proc/sys/kernel/osrelease').trim();
  const symbols = (() => {
    try {
      return read('/proc/kallsyms');
    } catch {
      return '';
    }
  })();
  const has = (sym: string) => new RegExp(`\\s${sym}(\\s|$)`, 'm').test(symbols);
  return [
    { name: 'kernel', ok: true, found: release },
    symbols
      ? { name: 'kernel: bpf_sock_destroy (socket-LB terminates sockets to gone backends)', ok: has('bpf_sock_destroy'), found: has('bpf_sock_destroy') ? 'present' : 'absent', fix: 'a kernel ≥ 6.5 with CONFIG_BPF_SYSCALL' }
      : { name: 'kernel symbols', ok: false, found: '/proc/kallsyms not readable', fix: 'run as root to check kernel features' },
  ];
}

export async function runDoctor(): Promise<Check[]> {
  const checks: Check[] = [];
  for (const tool of ['docker', 'kind', 'helm', 'kubectl'] as Tool[]) checks.push(await attempt(tool, () => checkTool(tool)));
  checks.push(await attempt('docker daemon', async () => (await checkDockerRunning(), 'answers')));
  const low = inotifyShortfall();
  checks.push({ name: 'inotify limits (config/host-limits.json)', ok: low.length === 0, found: low.length ? `below ${low.join(', ')}` : 'enough', ...(low.length ? { fix: `sudo sysctl -w ${low.join(' ')}` } : {}) });
  checks.push(...kernelChecks());
  const cilium = resolveCiliumVersion(pins);
  for (const variant of Object.values(VARIANTS)) {
    checks.push(
      await attempt(`local images for ${variant.name}${variant.cilium ? ` (Cilium ${cilium})` : ''}`, async () => {
        const missing = await missingLocalImages(variant, cilium);
        if (missing.length === 0) return 'built';
        throw new Error(`${missing.length} missing (${missing[0]}${missing.length > 1 ? ', …' : ''}): run \`${buildCommandFor(missing, cilium)}\``);
      }),
    );
  }
  return checks;
}

export function formatChecks(checks: readonly Check[]): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  return checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.name.padEnd(width)}  ${c.found}${!c.ok && c.fix ? `\n     ${''.padEnd(width)}  fix: ${c.fix}` : ''}`).join('\n');
}
