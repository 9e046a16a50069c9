import { baseBookwormStep, baseNginxStep } from './base-image.ts';
import { cacheRoot, freeBytes } from './cache.ts';
import {
  cniStep, containerdStep, corednsStep, crictlStep, etcdStep, localPathStep, ownStep, runcStep, toolchainStep,
} from './components.ts';
import { coreImagesStep } from './core-images.ts';
import { hostStep } from './host.ts';
import { kubernetesStep } from './kubernetes.ts';
import { nodeStep } from './node-image.ts';
import { preloadedNodeStep } from './preloaded-node.ts';
import { StepError } from './run.ts';
import { isUserError } from '../../config/errors.ts';
import { parseCliArgs } from '../cli-args.ts';
import { formatSeconds, plan, runSteps, type Step } from './steps.ts';
import { localTags } from '../../config/image-tags.ts';
import { agnhostStep, curlStep, nginxStep } from './workloads.ts';
import { metallbStep } from './metallb.ts';
import { registryStep } from './registry.ts';
import { ingressNginxStep } from './ingress-nginx/index.ts';
import { ciliumSteps } from './cilium/index.ts';

/** Every step, in the order a full run takes them (dependencies first). */
export const STEPS: Step[] = [
  hostStep,
  kubernetesStep,
  toolchainStep,
  containerdStep,
  runcStep,
  crictlStep,
  cniStep,
  etcdStep,
  corednsStep,
  localPathStep,
  ownStep,
  baseBookwormStep,
  baseNginxStep,
  coreImagesStep,
  nodeStep,
  agnhostStep,
  curlStep,
  nginxStep,
  metallbStep,
  registryStep,
  ingressNginxStep,
  ...ciliumSteps,
  preloadedNodeStep,
];

/** Disk a cold run needs: caches (~8 GiB Go modules + build cache) plus images and their tars. */
const NEEDED_GIB = 20;

function help(): string {
  const t = localTags();
  return [
    'usage: npm run images -- [step …] [--only] [--force] [--ref <commit>] [--cilium-src <dir>] [--help]',
    '',
    'Builds every image the suite needs from Go modules and Debian packages (no registry).',
    'With no step, runs all; with steps, runs them and what they depend on.',
    '  --only    run just the named steps, not their dependencies',
    '  --force   rebuild the selected steps even when cached',
    '  --ref     build Cilium at an upstream commit instead of the pins (same as CILIUM_REF)',
    '  --cilium-src  build Cilium from a source tree on disk, uncommitted changes included (same as CILIUM_SRC);',
    '            images are tagged v<VERSION>-src.<content hash>; run with the same CILIUM_SRC',
    '',
    `cache: ${cacheRoot()} (NETREPRO_CACHE overrides); logs in <cache>/logs; NETREPRO_VERBOSE=1 echoes output`,
    '',
    'steps:',
    ...STEPS.map((s) => `  ${s.name.padEnd(13)} ${s.summary}${s.deps.length ? `  (after: ${s.deps.join(', ')})` : ''}`),
    '',
    `node image: ${t.node}; workloads: ${t.agnhost}, ${t.curl}, ${t.nginx}`,
  ].join('\n');
}

const OPTIONS = {
  only: { type: 'boolean' },
  force: { type: 'boolean' },
  ref: { type: 'string' },
  'cilium-src': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(): Promise<void> {
  const { values, positionals: names } = parseCliArgs(process.argv.slice(2), OPTIONS, 'npm run images --');
  if (values.help) {
    console.log(help());
    return;
  }
  // The Cilium steps read the ref from the environment, like CILIUM_REF set by hand.
  if (values.ref !== undefined) process.env.CILIUM_REF = values.ref;
  if (values['cilium-src'] !== undefined) process.env.CILIUM_SRC = values['cilium-src'];
  const steps = plan(STEPS, names, !values.only);
  const free = freeBytes(cacheRoot()) / 2 ** 30;
  if (free < NEEDED_GIB) {
    console.warn(`! only ${free.toFixed(1)} GiB free under ${cacheRoot()}; a cold build needs about ${NEEDED_GIB} GiB (cached steps need less)`);
  }
  const t0 = performance.now();
  const reports = await runSteps(steps, { force: values.force ?? false });
  const built = reports.filter((x) => x.status === 'built').length;
  console.log(`done in ${formatSeconds((performance.now() - t0) / 1000)}: ${built} built, ${reports.length - built} cached; node image ${localTags().node}`);
}

main().catch((err: unknown) => {
  if (isUserError(err)) {
    console.error(`netrepro images: ${err.message}`);
    process.exit(2);
  }
  console.error(err instanceof StepError ? `✗ ${err.message}` : err);
  process.exit(1);
});
