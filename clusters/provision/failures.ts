import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Specs mark a failure in the run's report folder; the global teardown reads it (NETREPRO_KEEP_ON_FAILURE). */
const marker = (reportsDir: string, runId: string) => join(reportsDir, runId, '.failed');

export function markFailed(reportsDir: string, runId: string): void {
  mkdirSync(join(reportsDir, runId), { recursive: true });
  writeFileSync(marker(reportsDir, runId), new Date().toISOString());
}

export const anyFailed = (reportsDir: string, runId: string) => existsSync(marker(reportsDir, runId));
