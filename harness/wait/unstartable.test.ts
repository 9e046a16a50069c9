import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { stuckContainer } from './unstartable.ts';

const pod = (reason: string | undefined, message?: string): V1Pod => ({
  metadata: { name: 'auth-ingress-nginx-controller-abc' },
  spec: { nodeName: 'plain-nokp-worker', containers: [] },
  status: { containerStatuses: [{ name: 'controller', image: 'netrepro/ingress-nginx-controller:v1.11.0', imageID: '', ready: false, restartCount: 0, state: reason ? { waiting: { reason, ...(message ? { message } : {}) } } : { running: {} } }] },
});

describe('pods that will not start', () => {
  test('an image the node lacks and may not pull ends the wait, with the fix (seen on a plain helm-installed cluster)', () => {
    const stuck = stuckContainer([pod(undefined), pod('ErrImageNeverPull', 'Container image "netrepro/ingress-nginx-controller:v1.11.0" is not present with pull policy of Never')]);
    expect(stuck?.fatal).toBe(true);
    expect(stuck?.text).toBe(
      'pod auth-ingress-nginx-controller-abc container controller: ErrImageNeverPull (Container image "netrepro/ingress-nginx-controller:v1.11.0" is not present with pull policy of Never) — image netrepro/ingress-nginx-controller:v1.11.0 is not on node plain-nokp-worker and the pod may not pull it: load it into the nodes (kind load docker-image netrepro/ingress-nginx-controller:v1.11.0) or run where a registry answers',
    );
  });

  test('back-off and crash loops are named but waited on; starting containers are not stuck', () => {
    expect(stuckContainer([pod('ImagePullBackOff')])).toMatchObject({ fatal: false });
    expect(stuckContainer([pod('CrashLoopBackOff')])).toMatchObject({ fatal: false });
    expect(stuckContainer([pod('ContainerCreating'), pod(undefined)])).toBeUndefined();
  });
});
