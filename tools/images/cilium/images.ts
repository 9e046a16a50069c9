import { CLANG_PACKAGE } from './toolchain.ts';
import { join } from 'node:path';
import type { Pins } from '../../../config/pins.ts';
import { cacheDir } from '../cache.ts';
import { binPath } from '../components.ts';
import { aptInstall, buildImage, hasImage, type ContextFile } from '../docker.ts';
import type { Runner } from '../run.ts';
import { LOCAL_REPO, localTags } from '../../../config/image-tags.ts';
import { bpfDir, ciliumOut, OPERATOR_BINARY, RELAY_BINARY } from './build.ts';
import { AGENT_SCRIPTS, IPTABLES_WRAPPER } from './scripts.ts';
import type { CiliumTarget } from './source.ts';

/**
 * What the agent runs, from Debian bookworm: clang 19 (the agent compiles its
 * BPF programs at run time with plain `clang`, `-nostdinc`, straight to an
 * object; `llc` is no longer called since Cilium 1.14; upstream ships LLVM
 * 19.1.7, Debian has 19.1.7 too), bpftool, iproute2, iptables + ipset (the
 * agent's iptables manager), kmod, ca-certificates, util-linux (nsenter for the
 * init containers). The Go tools upstream adds (gops) are left out.
 */
export const RUNTIME_PACKAGES = [
  'bpftool', 'iproute2', 'iptables', 'ipset', 'kmod', 'ca-certificates', 'libatomic1', 'bash-completion', 'util-linux', 'procps',
];
/** Where the libraries clang loads go in the runtime image (an ld.so.conf.d entry points there). */
const CLANG_LIBS = '/usr/local/lib/clang-runtime';
/** Libraries every Debian base already has: not copied. */
const BASE_LIBS = 'libc|libm|libstdc\\+\\+|libgcc_s|ld-linux[^/]*';

/** Version-independent runtime base of every agent image. */
export function runtimeTag(p: Pins): string {
  return `${LOCAL_REPO}/cilium-runtime:${p.debian.base}`;
}

export function runtimeDockerfile(p: Pins): string {
  return `FROM ${localTags(p).base} AS clang
RUN ${aptInstall([CLANG_PACKAGE])}
RUN mkdir -p /out/lib && cp -L /usr/bin/${CLANG_PACKAGE} /out/clang \\
 && ldd /out/clang | awk '$2 == "=>" && $3 ~ /^\\// {print $3}' | grep -Ev '/(${BASE_LIBS})\\.so' | xargs -r cp -L -t /out/lib/

FROM ${localTags(p).base}
RUN ${aptInstall(RUNTIME_PACKAGES)}
COPY --from=clang /out/clang /usr/local/bin/clang
COPY --from=clang /out/lib/ ${CLANG_LIBS}/
# every library clang needs resolves, and it compiles a BPF object the way the agent calls it
RUN echo ${CLANG_LIBS} > /etc/ld.so.conf.d/clang-runtime.conf && ldconfig \\
 && ! ldd /usr/local/bin/clang | grep 'not found' \\
 && echo 'int prog(void) { return 0; }' | clang -O2 --target=bpf -nostdinc -c -x c - -o /tmp/probe.o && rm /tmp/probe.o \\
 && clang --version && bpftool version
COPY iptables-wrapper /usr/sbin/iptables-wrapper
RUN /usr/sbin/iptables-wrapper install
`;
}

export function runtimeInputs(p: Pins): unknown {
  return { base: p.debian.base, pkgs: RUNTIME_PACKAGES, dockerfile: runtimeDockerfile(p), wrapper: IPTABLES_WRAPPER };
}

export async function buildRuntime(r: Runner, p: Pins, key: string): Promise<void> {
  await buildImage(r, {
    tag: runtimeTag(p),
    key,
    files: { 'iptables-wrapper': { text: IPTABLES_WRAPPER, mode: 0o755 } },
    dockerfile: runtimeDockerfile(p),
  });
}

/** The three images of one Cilium build. */
export function ciliumTags(p: Pins, t: CiliumTarget): { agent: string; operator: string; relay: string } {
  const tags = localTags(p);
  return { agent: tags.cilium(t.label), operator: tags.ciliumOperator(t.label), relay: tags.hubbleRelay(t.label) };
}

const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Agent image: runtime + binaries + bpf sources + the chart's scripts. */
export function agentDockerfile(p: Pins): string {
  return `FROM ${runtimeTag(p)}
COPY bin/ /usr/bin/
COPY cni/cilium-cni /opt/cni/bin/cilium-cni
COPY cni/loopback /cni/loopback
COPY bpf/ /var/lib/cilium/bpf/
COPY scripts/ /
# the chart's probes and older docs call the CLI \`cilium\`
RUN ln -s cilium-dbg /usr/bin/cilium && chmod 0750 /var/lib/cilium \\
 && cilium-dbg completion bash > /usr/share/bash-completion/completions/cilium-dbg \\
 && echo ". /etc/profile.d/bash_completion.sh" >> /etc/bash.bashrc
# in the agent's pod the hubble CLI talks to the local socket, not to relay
ENV HUBBLE_SERVER=unix:///var/run/cilium/hubble.sock
ENV INITSYSTEM=SYSTEMD
WORKDIR /home/cilium
CMD ["/usr/bin/cilium-dbg"]
`;
}

/** Operator image: the binary and CA bundle only (upstream: scratch). The chart sets command. */
export function operatorDockerfile(p: Pins): string {
  return `FROM scratch
COPY --from=${runtimeTag(p)} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY ${OPERATOR_BINARY.binary} /usr/bin/${OPERATOR_BINARY.binary}
ENV ${PATH_ENV}
# the operator starts a gops agent, which writes under GOPS_CONFIG_DIR
ENV GOPS_CONFIG_DIR=/home/gops
WORKDIR /home/gops
WORKDIR /
ENTRYPOINT ["/usr/bin/${OPERATOR_BINARY.binary}"]
`;
}

/** Relay image: binary, CA bundle, non-root (upstream: distroless static nonroot). */
export function relayDockerfile(p: Pins): string {
  return `FROM scratch
COPY --from=${runtimeTag(p)} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY ${RELAY_BINARY.binary} /usr/bin/${RELAY_BINARY.binary}
# /tmp with mode 1777 (ADD keeps a tar's modes; scratch has no chmod): the
# relay runs as 65532 and its gops agent writes to GOPS_CONFIG_DIR. Charts
# from 1.19 on mount an emptyDir there, 1.18's does not.
ADD tmp.tar /
ENV ${PATH_ENV}
ENV GOPS_CONFIG_DIR=/tmp
WORKDIR /tmp
USER 65532:65532
ENTRYPOINT ["/usr/bin/${RELAY_BINARY.binary}"]
CMD ["serve"]
`;
}

export function imageRecipe(p: Pins): unknown {
  return { agent: agentDockerfile(p), operator: operatorDockerfile(p), relay: relayDockerfile(p), scripts: AGENT_SCRIPTS };
}

/** A tar holding only tmp/ with mode 1777, owned by root. */
async function stickyTmpTar(r: Runner): Promise<string> {
  const dir = cacheDir('ctx', 'sticky-tmp');
  const tar = join(dir, 'tmp.tar');
  await r.sh(
    `cd "${dir}" && rm -rf root && mkdir -p root/tmp && chmod 1777 root/tmp && ` +
      `tar --numeric-owner --owner=0 --group=0 -C root -cf "${tar}" tmp`,
  );
  return tar;
}

/** True when all three images exist, labelled with `key`. */
export async function ciliumImagesPresent(r: Runner, p: Pins, t: CiliumTarget, key: string): Promise<boolean> {
  for (const tag of Object.values(ciliumTags(p, t))) if (!(await hasImage(r, tag, key))) return false;
  return true;
}

/** Builds the agent, operator and relay images from out/cilium-<label>. */
export async function buildCiliumImages(r: Runner, p: Pins, t: CiliumTarget, binaries: string[], key: string): Promise<void> {
  const bin = join(ciliumOut(t), 'bin');
  const tags = ciliumTags(p, t);
  const agentFiles: Record<string, ContextFile> = {
    'cni/cilium-cni': { from: join(bin, 'cilium-cni'), mode: 0o755 },
    'cni/loopback': { from: binPath(p, 'cni-plugins', 'loopback'), mode: 0o755 },
    'bpf/': { from: bpfDir(t) },
  };
  for (const b of binaries) {
    if (b === 'cilium-cni' || b === OPERATOR_BINARY.binary || b === RELAY_BINARY.binary) continue;
    agentFiles[`bin/${b}`] = { from: join(bin, b), mode: 0o755 };
  }
  for (const [name, text] of Object.entries(AGENT_SCRIPTS)) agentFiles[`scripts/${name}`] = { text, mode: 0o755 };

  if (!(await hasImage(r, tags.agent, key))) {
    await buildImage(r, { tag: tags.agent, key, files: agentFiles, dockerfile: agentDockerfile(p) });
  }
  if (!(await hasImage(r, tags.operator, key))) {
    await buildImage(r, {
      tag: tags.operator,
      key,
      files: { [OPERATOR_BINARY.binary]: { from: join(bin, OPERATOR_BINARY.binary), mode: 0o755 } },
      dockerfile: operatorDockerfile(p),
    });
  }
  if (!(await hasImage(r, tags.relay, key))) {
    await buildImage(r, {
      tag: tags.relay,
      key,
      files: {
        [RELAY_BINARY.binary]: { from: join(bin, RELAY_BINARY.binary), mode: 0o755 },
        'tmp.tar': { from: await stickyTmpTar(r) },
      },
      dockerfile: relayDockerfile(p),
    });
  }
}
