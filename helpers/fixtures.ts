import { join } from 'node:path';
import { expect, inject, test as base } from 'vitest';
import type { StoryId } from '../expectations.ts';
import type { ClusterInfo } from './context.ts';
import { Evidence, testSlug } from './evidence.ts';
import { expectedOutcome } from './expectations.ts';
import { workloadImages, type WorkloadImages } from './image-source.ts';
import { Kube } from './kube.ts';
import { createNamespace, deleteNamespace } from './namespace.ts';
import { judge, type Classification, type Verdict } from './verdict.ts';
import { recordOutcome } from './outcome-log.ts';
import './context.ts';

export interface Conclusion {
  story: StoryId;
  case: string;
  observed: Classification;
}

export interface StoryFixtures {
  cluster: ClusterInfo;
  kube: Kube;
  /** A fresh labelled namespace for this test, removed afterwards. */
  namespace: string;
  images: WorkloadImages;
  evidence: Evidence;
  /** Compares an observation with the expectation table and fails with a sentence on mismatch. */
  conclude: (c: Conclusion) => Promise<Verdict>;
  /** Skips (with the reason printed) unless disruptive steps are allowed on this cluster. */
  requireDisruptive: (what: string) => void;
  /** Skips when `condition` holds, printing the reason (Vitest shows it only in a verbose tree). */
  skipWhen: (condition: boolean, reason: string) => void;
}

export const test = base.extend<StoryFixtures>({
  cluster: async ({}, use) => use(inject('cluster')),
  kube: async ({ cluster }, use) => use(new Kube(cluster.kubeconfig)),
  images: async ({ cluster }, use) => use(workloadImages(cluster.imageSource)),
  namespace: async ({ kube, cluster, task }, use) => {
    const ns = await createNamespace(kube, task.name, cluster.runId);
    await use(ns);
    await deleteNamespace(kube, ns);
  },
  evidence: async ({ cluster, task, onTestFailed }, use) => {
    const evidence = new Evidence(join(cluster.reportsDir, cluster.runId, testSlug(task.name)));
    onTestFailed(() => {
      const dir = evidence.write();
      if (dir) console.error(`evidence written to ${dir}`);
    });
    await use(evidence);
  },
  skipWhen: async ({ skip }, use) => {
    await use((condition: boolean, reason: string) => {
      if (!condition) return;
      console.warn(`skipped: ${reason}`);
      skip(reason);
    });
  },
  requireDisruptive: async ({ cluster, skipWhen }, use) => {
    await use((what: string) => skipWhen(!cluster.allowDisruptive, `${what} disrupts the cluster; set NETREPRO_ALLOW_DISRUPTIVE=1 to allow it`));
  },
  conclude: async ({ cluster, kube, evidence, annotate, task }, use) => {
    const started = Date.now();
    await use(async ({ story, case: caseId, observed }) => {
      const exp = expectedOutcome({ story, case: caseId, variant: cluster.variant, ciliumVersion: cluster.versions.cilium });
      const verdict = judge(observed, exp.expected);
      const figures = Object.entries(observed.figures).map(([k, v]) => `${k}=${v}`).join(', ');
      await annotate(`${story}/${caseId}: expected ${exp.expected}, observed ${observed.outcome}; ${figures}`, verdict.pass ? 'notice' : 'error');
      evidence.add(`verdict-${caseId}.json`, { story, case: caseId, variant: cluster.variant, versions: cluster.versions, expected: exp, observed, verdict });
      recordOutcome({
        at: new Date().toISOString(), test: task.name, story, case: caseId, variant: cluster.variant, cilium: cluster.versions.cilium,
        kubernetes: cluster.versions.kubernetes, imageSource: cluster.imageSource, expected: exp.expected, observed: observed.outcome,
        verdict: verdict.kind, pass: verdict.pass, message: verdict.message, durationMs: Date.now() - started, figures: observed.figures,
      });
      if (!verdict.pass) {
        evidence.add('reproduce.sh', reproducer(cluster, task.name));
        if (cluster.features.cilium) await evidence.collectCilium(kube, cluster.features.hubble);
        expect.fail(`${verdict.message} (evidence: ${evidence.dir})`);
      }
      return verdict;
    });
  },
});

function reproducer(cluster: ClusterInfo, testName: string): string {
  const env = [
    cluster.versions.cilium ? `CILIUM_VERSION=${cluster.versions.cilium}` : '',
    `NETREPRO_IMAGES=${cluster.imageSource}`,
    cluster.mode === 'existing' ? `NETREPRO_KUBECONFIG=${cluster.kubeconfig}` : 'NETREPRO_KEEP=1',
  ].filter(Boolean);
  return `#!/bin/sh\n# variant ${cluster.variant}, Kubernetes ${cluster.versions.kubernetes}\n${env.join(' ')} npx vitest run --project ${cluster.variant} -t ${JSON.stringify(testName)}\n`;
}

export { expect, describe } from 'vitest';
