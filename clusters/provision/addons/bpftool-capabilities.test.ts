import { describe, expect, test } from 'vitest';
import { bpftoolCapabilityValues } from './bpftool-capabilities.ts';

// Shapes of the two charts' values.yaml (1.16: PERFMON and BPF commented out; 1.18+: listed).
const CHART_1_16 = `securityContext:
  capabilities:
    ciliumAgent:
      - CHOWN
      - SYS_ADMIN
      #- PERFMON
      #- BPF
      - SETUID
`;
const CHART_1_20 = `securityContext:
  capabilities:
    ciliumAgent:
      - CHOWN
      - SYS_ADMIN
      - PERFMON
      - BPF
`;

describe('agent capabilities for Debian bpftool (local images)', () => {
  test('a chart without PERFMON and BPF gets them after its own list', () => {
    expect(bpftoolCapabilityValues(CHART_1_16)).toEqual({
      securityContext: { capabilities: { ciliumAgent: ['CHOWN', 'SYS_ADMIN', 'SETUID', 'PERFMON', 'BPF'] } },
    });
  });

  test('a chart that lists both is left as it is', () => {
    expect(bpftoolCapabilityValues(CHART_1_20)).toEqual({});
  });

  test('a chart without the list is an error naming this file', () => {
    expect(() => bpftoolCapabilityValues('image:\n  tag: x\n')).toThrow(/no securityContext\.capabilities\.ciliumAgent list.*bpftool-capabilities\.ts/);
  });
});
