import { describe, expect, test } from 'vitest';
import { clusterShape } from './provision.ts';
import { shapeHash } from './cluster-record.ts';
import { VARIANTS } from '../index.ts';
import { poolFromSubnet } from '../../harness/docker-network.ts';
import { readRunOptions } from '../../config/env.ts';
import { isUserError } from '../../config/errors.ts';
import { pins } from '../../config/pins.ts';
import { unknownProjectMessage } from './project-guard.ts';
import { resolveCiliumVersion } from '../../config/versions.ts';

describe('CILIUM_VERSION', () => {
  test('unset gives the default minor\'s pinned patch', () => {
    expect(resolveCiliumVersion(pins)).toBe(pins.cilium.versions[pins.cilium.default]);
  });
  test('a minor or an exact pinned patch, with or without v', () => {
    const [minor, patch] = Object.entries(pins.cilium.versions)[0]!;
    expect(resolveCiliumVersion(pins, minor)).toBe(patch);
    expect(resolveCiliumVersion(pins, `v${patch}`)).toBe(patch);
  });
  test('an unpinned version is a one-line user error naming the pins', () => {
    let error: unknown;
    try { resolveCiliumVersion(pins, '1.17'); } catch (e) { error = e; }
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^CILIUM_VERSION="1.17": it is not pinned; use one of 1\.18, 1\.19, 1\.20/);
    expect(() => resolveCiliumVersion(pins, 'latest')).toThrow(/"latest": it is not a version/);
    expect(() => resolveCiliumVersion(pins, '1.20.99')).toThrow(/1\.20\.99.*it is not pinned/);
  });
  test('NETREPRO_ANY_RELEASE (bisect): any exact release, still not a bare minor or a word', () => {
    expect(resolveCiliumVersion(pins, 'v1.16.5', true)).toBe('1.16.5');
    expect(() => resolveCiliumVersion(pins, '1.17', true)).toThrow(/it is not pinned/);
    expect(() => resolveCiliumVersion(pins, 'latest', true)).toThrow(/it is not a version/);
    expect(readRunOptions({ NETREPRO_ANY_RELEASE: '1' }).anyRelease).toBe(true);
  });
  test('a positive control (cilium.controls) resolves by minor or patch, for any project', () => {
    const controls = Object.entries(pins.cilium.controls ?? {});
    expect(controls.length, 'pins.json has a positive control').toBeGreaterThan(0);
    for (const [minor, patch] of controls) {
      expect(resolveCiliumVersion(pins, minor)).toBe(patch);
      expect(resolveCiliumVersion(pins, patch)).toBe(patch);
      expect(resolveCiliumVersion(pins, `v${patch}`)).toBe(patch);
      expect(Object.values(pins.cilium.versions), 'a control is not a pinned version').not.toContain(patch);
    }
  });
  test('the error names the controls too; a pinned minor wins over a control of the same minor', () => {
    const p = { ...pins, cilium: { default: '1.20', versions: { '1.20': '1.20.2' }, controls: { '1.16': '1.16.4', '1.20': '1.20.0' } } };
    expect(resolveCiliumVersion(p, '1.20')).toBe('1.20.2');
    expect(resolveCiliumVersion(p, '1.20.0')).toBe('1.20.0');
    expect(() => resolveCiliumVersion(p, '1.17')).toThrow(/^CILIUM_VERSION="1.17": it is not pinned; use one of 1\.20 or 1\.20\.2 \(pins.json\), or a positive control: 1\.16 \(1\.16\.4\), 1\.20 \(1\.20\.0\) \(cilium.controls\)$/);
    const none = { ...pins, cilium: { default: '1.20', versions: { '1.20': '1.20.2' } } };
    expect(() => resolveCiliumVersion(none, '1.16')).toThrow(/^CILIUM_VERSION="1.16": it is not pinned; use one of 1\.20 or 1\.20\.2 \(pins.json\)$/);
  });
});

describe('project names', () => {
  const known = ['unit', 'smoke', 'bpf'];
  test('unknown projects get one line, known and glob ones none', () => {
    expect(unknownProjectMessage(['node', 'vitest', '--project', 'bfp'], known)).toBe('unknown project "bfp": choose one of unit, smoke, bpf');
    expect(unknownProjectMessage(['vitest', '--project=smoke'], known)).toBeUndefined();
    expect(unknownProjectMessage(['vitest', '--project', 'b*'], known)).toBeUndefined();
    expect(unknownProjectMessage(['vitest', 'run'], known)).toBeUndefined();
  });
});

describe('environment', () => {
  test('flags and defaults', () => {
    const o = readRunOptions({ NETREPRO_KEEP: '1', NETREPRO_ALLOW_DISRUPTIVE: 'true' });
    expect(o).toMatchObject({ keep: true, allowDisruptive: true, recreate: false, images: 'auto', reportsDir: 'reports' });
  });
  test('a bad NETREPRO_IMAGES is a user error', () => {
    expect(() => readRunOptions({ NETREPRO_IMAGES: 'docker' })).toThrow(/NETREPRO_IMAGES="docker" is not one of local, upstream/);
  });
  test('CILIUM_SRC is read; with CILIUM_VERSION too it is a user error naming both', () => {
    expect(readRunOptions({ CILIUM_SRC: '/src/cilium' }).ciliumSource).toBe('/src/cilium');
    expect(() => readRunOptions({ CILIUM_SRC: '/src/cilium', CILIUM_VERSION: '1.16' })).toThrow(/CILIUM_SRC=\/src\/cilium and CILIUM_VERSION=1\.16 both name the Cilium to run: unset one/);
  });
});

describe('cluster reuse key', () => {
  test('equal shapes hash equally; any change of values, versions or image source changes the hash', () => {
    const a = shapeHash(clusterShape(VARIANTS.bpf, '1.20.2', 'local'));
    expect(shapeHash(clusterShape(VARIANTS.bpf, '1.20.2', 'local'))).toBe(a);
    expect(shapeHash(clusterShape(VARIANTS.bpf, '1.19.8', 'local'))).not.toBe(a);
    expect(shapeHash(clusterShape(VARIANTS.bpf, '1.20.2', 'upstream'))).not.toBe(a);
    expect(shapeHash(clusterShape(VARIANTS['kube-proxy'], '1.20.2', 'local'))).not.toBe(a);
  });
  test('the smoke variant does not depend on the Cilium version', () => {
    expect(shapeHash(clusterShape(VARIANTS.smoke, '1.18.11', 'local'))).toBe(shapeHash(clusterShape(VARIANTS.smoke, '1.20.2', 'local')));
  });
});

describe('LoadBalancer pool inside the kind subnet', () => {
  test('kind\'s usual /16 gives a pool at its top, below the broadcast address', () => {
    expect(poolFromSubnet('172.18.0.0/16')).toEqual({ first: '172.18.255.231', last: '172.18.255.250', range: '172.18.255.231-172.18.255.250' });
  });
  test('a /24 still fits; smaller subnets are refused', () => {
    expect(poolFromSubnet('10.89.0.0/24').range).toBe('10.89.0.231-10.89.0.250');
    expect(() => poolFromSubnet('10.89.0.0/28')).toThrow(/too small/);
    // Cells side by side take the blocks below, and never the lower half where docker counts up.
    expect(poolFromSubnet('172.18.0.0/16', 1).range).toBe('172.18.255.211-172.18.255.230');
    expect(poolFromSubnet('10.89.0.0/24', 4).range).toBe('10.89.0.151-10.89.0.170');
    expect(() => poolFromSubnet('10.89.0.0/24', 6)).toThrow(/no room for LoadBalancer pool slot 6/);
  });
});

describe('bare vitest runs only the unit tier', () => {
  test('e2e projects only when --project is given', async () => {
    const { projectsRequested } = await import('./project-guard.ts');
    expect(projectsRequested(['vitest', 'run'])).toBe(false);
    expect(projectsRequested(['vitest', '--project', 'bpf'])).toBe(true);
    expect(projectsRequested(['vitest', '--project=cnp'])).toBe(true);
  });
});

describe('addresses on the kind network', () => {
  test('inSubnet', async () => {
    const { inSubnet } = await import('../../harness/docker-network.ts');
    expect(inSubnet('172.18.255.200', '172.18.0.0/16')).toBe(true);
    expect(inSubnet('172.19.0.1', '172.18.0.0/16')).toBe(false);
    expect(inSubnet('10.96.0.10', '172.18.0.0/16')).toBe(false);
    expect(inSubnet('not-an-ip', '172.18.0.0/16')).toBe(false);
  });
});

describe('which runs write the HTML report', () => {
  test('e2e projects do, the unit tier alone does not', async () => {
    const { e2eRequested } = await import('./project-guard.ts');
    expect(e2eRequested(['vitest', 'run', '--project', 'unit'])).toBe(false);
    expect(e2eRequested(['vitest', 'run', '--project', 'bpf'])).toBe(true);
    expect(e2eRequested(['vitest', 'run', '--project=race'])).toBe(true);
    expect(e2eRequested(['vitest', 'run'])).toBe(false);
  });
});
