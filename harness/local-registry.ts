import { request } from 'undici';
import { UserError } from '../config/errors.ts';
import { LOCAL_REPO, localTags } from '../config/image-tags.ts';
import { run } from './exec.ts';
import { KIND_NETWORK } from './docker-network.ts';
import { INSTALL_MS, LOCAL_QUERY_MS, POLL_INTERVAL_MS } from './timeouts.ts';
import { toolPath } from './tools.ts';
import { until } from './wait/index.ts';

/**
 * NETREPRO_NODE_IMAGE=registry: instead of `kind load` (one `docker save` tar
 * imported into every node), the images are pushed once into a registry
 * container on the kind network and every node pulls them from there. The
 * registry outlives clusters, so a push after the first sends only what changed.
 */
export const REGISTRY_CONTAINER = 'netrepro-registry';
/** The registry's port inside its container, which the nodes use on the kind network. */
export const REGISTRY_PORT = 5000;
/** Where docker on this machine pushes to: loopback only (docker treats localhost registries as plain HTTP). */
export const REGISTRY_HOST_PORT = 5001;
const PUSH_PREFIX = `localhost:${REGISTRY_HOST_PORT}`;
const PULL_PREFIX = `${REGISTRY_CONTAINER}:${REGISTRY_PORT}`;

const docker = (args: string[], timeoutMs = LOCAL_QUERY_MS) => run(toolPath('docker'), args, { timeoutMs });

/** `netrepro/cilium:v1.20.2` → the name a node pulls, and the name the node's pods ask for. */
export function registryNames(ref: string): { push: string; pull: string; local: string } {
  const first = ref.split('/')[0]!;
  if (first.includes('.') || first.includes(':')) {
    throw new Error(`image ${ref} names a registry; only images built here (${LOCAL_REPO}/…) go through the local registry`);
  }
  return { push: `${PUSH_PREFIX}/${ref}`, pull: `${PULL_PREFIX}/${ref}`, local: `docker.io/${ref}` };
}

async function answers(): Promise<boolean> {
  const res = await request(`http://127.0.0.1:${REGISTRY_HOST_PORT}/v2/`, { headersTimeout: LOCAL_QUERY_MS, bodyTimeout: LOCAL_QUERY_MS });
  await res.body.dump();
  return res.statusCode === 200;
}

/** Starts the registry container on the kind network unless it runs already, and waits until it answers. */
export async function ensureRegistry(): Promise<void> {
  const image = localTags().registry;
  const state = await docker(['inspect', '--format', '{{.State.Running}} {{.Config.Image}}', REGISTRY_CONTAINER]).then((r) => r.stdout.trim(), () => '');
  if (state !== `true ${image}`) {
    const images = await docker(['image', 'inspect', image]).then(() => true, () => false);
    if (!images) throw new UserError(`registry image ${image} is not built: run \`npm run images -- registry\`, or unset NETREPRO_NODE_IMAGE`);
    await docker(['rm', '-f', REGISTRY_CONTAINER]).catch(() => undefined);
    await docker(['run', '-d', '--name', REGISTRY_CONTAINER, '--network', KIND_NETWORK, '-p', `127.0.0.1:${REGISTRY_HOST_PORT}:${REGISTRY_PORT}`, image]);
  }
  await until(`registry ${REGISTRY_CONTAINER} to answer on 127.0.0.1:${REGISTRY_HOST_PORT}/v2/`, () => answers().then((ok) => ok || undefined), {
    timeoutMs: LOCAL_QUERY_MS,
    intervalMs: POLL_INTERVAL_MS,
  });
}

/** Pushes images into the registry; layers it holds already are not sent again. */
export async function pushImages(refs: string[]): Promise<void> {
  for (const ref of refs) {
    const { push } = registryNames(ref);
    await docker(['tag', ref, push]);
    await docker(['push', '--quiet', push], INSTALL_MS);
  }
}

/**
 * Pulls images into every node's containerd from the registry, nodes side by
 * side, and names each as the pods ask for it (`docker.io/netrepro/…`), so
 * `imagePullPolicy: Never` finds it as after `kind load`.
 */
export async function pullIntoNodes(nodes: string[], refs: string[]): Promise<void> {
  await Promise.all(
    nodes.map(async (node) => {
      for (const ref of refs) {
        const { pull, local } = registryNames(ref);
        await docker(['exec', node, 'ctr', '-n', 'k8s.io', 'images', 'pull', '--plain-http', pull], INSTALL_MS);
        await docker(['exec', node, 'ctr', '-n', 'k8s.io', 'images', 'tag', '--force', pull, local]);
      }
    }),
  );
}
