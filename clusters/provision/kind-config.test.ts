import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { VARIANTS } from '../index.ts';
import { clusterName, kindConfig, kindConfigYaml } from './kind-config.ts';

describe('kind config per variant', () => {
  test('bpf: no kube-proxy, no default CNI, one worker', () => {
    const c = kindConfig(VARIANTS.bpf, undefined, '1.20.2');
    expect(c.name).toBe('netrepro-bpf-1-20-2');
    expect(c.networking).toMatchObject({ kubeProxyMode: 'none', disableDefaultCNI: true });
    expect(c.nodes.map((n) => n.role)).toEqual(['control-plane', 'worker']);
  });

  test('cluster names: one per Cilium version for variants with Cilium, within Cilium\'s 32-character cluster name', () => {
    expect(clusterName(VARIANTS.bpf, '1.19.7')).not.toBe(clusterName(VARIANTS.bpf, '1.20.2'));
    expect(clusterName(VARIANTS.smoke, '1.20.2')).toBe('netrepro-smoke');
    expect(clusterName(VARIANTS['kube-proxy'], '1.18.11')).toBe('netrepro-kube-proxy-1-18-11');
    for (const v of Object.values(VARIANTS)) expect(clusterName(v, '1.20.10').length).toBeLessThanOrEqual(32);
  });

  test('smoke keeps kindnetd and iptables kube-proxy with two workers', () => {
    const c = kindConfig(VARIANTS.smoke);
    expect(c.networking).toMatchObject({ kubeProxyMode: 'iptables', disableDefaultCNI: false });
    expect(c.nodes.filter((n) => n.role === 'worker')).toHaveLength(2);
  });

  test('cnp has one control plane and three workers', () => {
    expect(kindConfig(VARIANTS.cnp).nodes.map((n) => n.role)).toEqual(['control-plane', 'worker', 'worker', 'worker']);
  });

  test('a local node image is set on every node and survives the YAML round trip', () => {
    const yaml = kindConfigYaml(kindConfig(VARIANTS.race, 'netrepro/kind-node:v1.34.12'));
    const back = parse(yaml) as ReturnType<typeof kindConfig>;
    expect(back.apiVersion).toBe('kind.x-k8s.io/v1alpha4');
    expect(back.nodes.every((n) => n.image === 'netrepro/kind-node:v1.34.12')).toBe(true);
    expect(back.networking.kubeProxyMode).toBe('iptables');
  });

  test('every variant with Cilium disables the default CNI', () => {
    for (const v of Object.values(VARIANTS)) expect(kindConfig(v).networking.disableDefaultCNI).toBe(Boolean(v.cilium));
  });
});
