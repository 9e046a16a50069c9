import { EXEC_MS } from './timeouts.ts';
import { PassThrough } from 'node:stream';
import {
  AppsV1Api,
  CoreV1Api,
  Exec,
  KubeConfig,
  KubernetesObjectApi,
  NetworkingV1Api,
  PatchStrategy,
  type KubernetesObject,
  type V1Status,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';

export const FIELD_MANAGER = 'netrepro';

/** Typed API clients for one cluster, made from a kubeconfig file path. */
export class Kube {
  readonly config: KubeConfig;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly networking: NetworkingV1Api;
  readonly objects: KubernetesObjectApi;

  constructor(readonly kubeconfigPath: string) {
    this.config = new KubeConfig();
    this.config.loadFromFile(kubeconfigPath);
    this.core = this.config.makeApiClient(CoreV1Api);
    this.apps = this.config.makeApiClient(AppsV1Api);
    this.networking = this.config.makeApiClient(NetworkingV1Api);
    this.objects = KubernetesObjectApi.makeApiClient(this.config);
  }

  /** Server-side applies every document of a manifest, optionally into one namespace. */
  async apply(manifest: string | KubernetesObject[], namespace?: string): Promise<KubernetesObject[]> {
    const docs =
      typeof manifest === 'string'
        ? parseAllDocuments(manifest).map((d) => d.toJSON() as KubernetesObject).filter((d) => d?.kind)
        : manifest;
    const applied: KubernetesObject[] = [];
    for (const doc of docs) {
      const spec = { ...doc, metadata: { ...doc.metadata, ...(namespace ? { namespace } : {}) } };
      applied.push(await this.objects.patch(spec, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply));
    }
    return applied;
  }

  /** Runs a command in a container and returns its output; rejects on a non-zero exit or timeout. */
  async exec(namespace: string, pod: string, container: string, command: string[], timeoutMs = EXEC_MS): Promise<string> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c) => (out += c));
    stderr.on('data', (c) => (err += c));
    const what = `exec in ${namespace}/${pod}[${container}]: ${command.join(' ')}`;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what}: no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      const done = (status: V1Status) => {
        clearTimeout(timer);
        if (status.status === 'Success') resolve(out);
        else reject(new Error(`${what}: ${status.message ?? status.reason ?? 'failed'}\n${err.trim()}`));
      };
      new Exec(this.config).exec(namespace, pod, container, command, stdout, stderr, null, false, done).catch((e) => {
        clearTimeout(timer);
        reject(new Error(`${what}: ${e instanceof Error ? e.message : String(e)}`));
      });
    });
  }
}
