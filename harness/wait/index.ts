export { until, type UntilOptions } from './until.ts';
export { nodesReady } from './nodes-ready.ts';
export { daemonSetRolledOut, deploymentRolledOut } from './rollout.ts';
export { podsReady, podsGone } from './pods.ts';
