/**
 * How long the harness waits for things, by kind of wait. A wait that runs
 * out fails with what it awaited (harness/wait/until.ts); these are ceilings,
 * not sleeps.
 */
const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/** A short query of a local tool: `docker inspect`, `kind get`, a `--version`. */
export const LOCAL_QUERY_MS = 30 * SECOND;
/** One command inside a pod or a node container. */
export const EXEC_MS = MINUTE;
/** Pods of a Deployment or DaemonSet Ready, or gone after a delete. */
export const PODS_READY_MS = 3 * MINUTE;
/** A rollout: every pod replaced and Ready. */
export const ROLLOUT_MS = 5 * MINUTE;
/** A Cilium agent DaemonSet rollout: agents compile and load BPF programs first. */
export const CILIUM_ROLLOUT_MS = 10 * MINUTE;
/** A new route through the cluster (a Service, an Ingress) starts answering. */
export const ROUTE_READY_MS = 2 * MINUTE;
/** Default interval between two polls of a condition. */
export const POLL_INTERVAL_MS = SECOND;
/** Interval for polls that exec into a pod (each costs an API round trip and a process). */
export const EXEC_POLL_INTERVAL_MS = 2 * SECOND;
/** A whole `helm upgrade --install` / `kind create cluster`. */
export const INSTALL_MS = 10 * MINUTE;
