import { join } from 'node:path';
import { expect, inject, test as base } from 'vitest';
import type { ClusterInfo } from './context.ts';
import { Evidence, testSlug } from './evidence.ts';
import { findExpectation, missingRowMessage } from './expectations.ts';
import type { Story } from './story.ts';
import { workloadImages, type WorkloadImages } from './image-source.ts';
import { Kube } from './kube.ts';
import { createNamespace, deleteNamespace } from './namespace.ts';
import { judge, type Classification, type Verdict } from './verdict.ts';
import { recordOutcome } from './outcome-log.ts';
import './context.ts';

export interface Conclusion<C extends string = string> {
  story: Story<C>;
  case: NoInfer<C>;
  observed: Classification;
  /** Which of several measurements of one case in one test this is (e.g. a flavour). */
  label?: string;
}

export interface StoryFixtures {
  cluster: ClusterInfo;
  kube: Kube;
  /** A fresh labelled namespace for this test; its pods' logs and events join the evidence when the test fails, then it is removed. */
  namespace: string;
  /**
   * Hands a resource's teardown to the test: it runs when the test ends, pass
   * or fail, before the namespace goes (last handed, first run). Specs use it
   * instead of try/finally.
   */
  defer: (teardown: () => Promise<void>) => void;
  images: WorkloadImages;
  evidence: Evidence;
  /** Compares an observation with the expectation table and fails with a sentence on mismatch. */
  conclude: <C extends string>(c: Conclusion<C>) => Promise<Verdict>;
  /** Keeps an SVG plot in the test's evidence folder and attaches it to the test (the HTML reporter shows it). */
  plot: (name: string, svgText: string, caption: string) => Promise<void>;
  /** Skips (with the reason printed) unless disruptive steps are allowed on this cluster. */
  requireDisruptive: (what: string) => void;
  /** Skips when `condition` holds, printing the reason (Vitest shows it only in a verbose tree). */
  skipWhen: (condition: boolean, reason: string) => void;
}

export const test = base.extend<StoryFixtures>({
  cluster: async ({}, use) => use(inject('cluster')),
  kube: async ({ cluster }, use) => use(new Kube(cluster.kubeconfig)),
  images: async ({ cluster }, use) => use(workloadImages(cluster.imageSource)),
  namespace: async ({ kube, cluster, task, evidence }, use) => {
    const ns = await createNamespace(kube, task.name, cluster.runId);
    await use(ns);
    if (task.result?.state === 'fail') await evidence.collectNamespace(kube, ns);
    await deleteNamespace(kube, ns);
  },
  // Depends on the namespace so that Vitest tears it down first; a failed
  // test's namespace is read for evidence before the resources go.
  defer: async ({ namespace, kube, evidence, task }, use) => {
    const teardowns: Array<() => Promise<void>> = [];
    await use((teardown) => void teardowns.push(teardown));
    if (task.result?.state === 'fail') await evidence.collectNamespace(kube, namespace);
    const failures: string[] = [];
    for (const teardown of teardowns.reverse()) {
      await teardown().catch((e: Error) => failures.push(e.message));
    }
    if (failures.length > 0) throw new Error(`cleanup failed: ${failures.join('; ')}`);
  },
  evidence: async ({ cluster, task, onTestFailed }, use) => {
    const evidence = new Evidence(join(cluster.reportsDir, cluster.runId, testSlug(task.name)));
    onTestFailed(() => {
      const dir = evidence.write();
      if (dir) console.error(`evidence written to ${dir}`);
    });
    await use(evidence);
  },
  plot: async ({ evidence, annotate }, use) => {
    await use(async (name, svgText, caption) => {
      const path = evidence.writeNow(name, svgText);
      await annotate(caption, 'notice', { path, contentType: 'image/svg+xml' });
    });
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
    await use(async ({ story, case: caseId, observed, label }) => {
      const name = label ? `${caseId} [${label}]` : caseId;
      const query = { case: caseId, variant: cluster.variant, ciliumVersion: cluster.versions.cilium };
      const row = findExpectation(story.expectations, query);
      const verdict: Verdict = row ? judge(observed, row.expected) : { pass: false, kind: 'no-expectation', message: missingRowMessage(story, query) };
      const expected = row?.expected ?? 'unknown';
      const figures = Object.entries(observed.figures).map(([k, v]) => `${k}=${v}`).join(', ');
      await annotate(`${story.id}/${name}: expected ${row ? expected : '(no row)'}, observed ${observed.outcome}; ${figures}`, verdict.pass ? 'notice' : 'error');
      evidence.add(`verdict-${caseId}${label ? `-${label}` : ''}.json`, { story: story.id, case: caseId, label, variant: cluster.variant, versions: cluster.versions, expected: row ?? null, observed, verdict });
      recordOutcome({
        at: new Date().toISOString(), test: task.name, story: story.id, case: caseId, ...(label ? { label } : {}), variant: cluster.variant, cilium: cluster.versions.cilium,
        kubernetes: cluster.versions.kubernetes, imageSource: cluster.imageSource, expected: expected, observed: observed.outcome,
        verdict: verdict.kind, pass: verdict.pass, message: verdict.message, durationMs: Date.now() - started, figures: observed.figures,
      });
      if (!verdict.pass) {
        evidence.add('reproduce.sh', reproducer(cluster, task.name));
        if (cluster.features.cilium) await evidence.collectCilium(kube, cluster.features.hubble);
        // Soft: a test that concludes several cases or labels reports every one of them.
        expect.soft(verdict.pass, `${story.id}/${name}: ${verdict.message} (evidence: ${evidence.dir})`).toBe(true);
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
