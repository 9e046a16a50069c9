import { parse } from 'yaml';
import type { HelmValues } from '../../types.ts';

/**
 * Our agent image carries Debian's bpftool, built with libcap: before
 * `bpftool feature probe` it checks for CAP_BPF and CAP_PERFMON and exits 255
 * without them ("missing CAP_BPF, CAP_PERFMON, required for full feature
 * probing"); the bpftool in upstream's image does not check. Charts before
 * 1.17 leave both out of the agent's capabilities (commented out, "if
 * available"), and Cilium 1.16's agent runs that probe at start and exits on
 * its failure (seen here 2026-12-04). For local images only, the agent's list
 * gets the two where the chart's default lacks them; every other capability
 * stays as the chart has it.
 */
export const BPFTOOL_CAPABILITIES = ['PERFMON', 'BPF'] as const;

/** Extra values for the chart whose values.yaml is given; empty when its agent already has both. */
export function bpftoolCapabilityValues(chartValuesYaml: string): HelmValues {
  const values = parse(chartValuesYaml) as { securityContext?: { capabilities?: { ciliumAgent?: unknown } } } | null;
  const agent = values?.securityContext?.capabilities?.ciliumAgent;
  if (!Array.isArray(agent)) {
    throw new Error('the Cilium chart has no securityContext.capabilities.ciliumAgent list: look at clusters/provision/addons/bpftool-capabilities.ts for this chart version');
  }
  const missing = BPFTOOL_CAPABILITIES.filter((c) => !agent.includes(c));
  return missing.length ? { securityContext: { capabilities: { ciliumAgent: [...agent, ...missing] } } } : {};
}
