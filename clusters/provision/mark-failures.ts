import { beforeEach, inject } from 'vitest';
import { markFailed } from './failures.ts';
import '../../harness/context.ts';

// Lets the global teardown honour NETREPRO_KEEP_ON_FAILURE.
beforeEach(({ onTestFailed }) => {
  const { reportsDir, runId } = inject('cluster');
  onTestFailed(() => markFailed(reportsDir, runId));
});
