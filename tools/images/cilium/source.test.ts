import { describe, expect, test } from 'vitest';
import { pins } from '../../../config/pins.ts';
import { pinnedTarget, selectedVersions } from './source.ts';

const P = { ...pins, cilium: { default: '1.20', versions: { '1.19': '1.19.7', '1.20': '1.20.2' }, controls: { '1.16': '1.16.4' } } };

describe('CILIUM_VERSIONS: what npm run images builds', () => {
  test('unset: the default minor only, never a control', () => {
    expect(selectedVersions(P, undefined)).toEqual(['1.20.2']);
    expect(selectedVersions(P, ' ')).toEqual(['1.20.2']);
  });

  test('a control builds by its minor or patch, alone or beside pinned versions', () => {
    expect(selectedVersions(P, '1.16')).toEqual(['1.16.4']);
    expect(selectedVersions(P, 'v1.16.4')).toEqual(['1.16.4']);
    expect(selectedVersions(P, '1.19, 1.16')).toEqual(['1.19.7', '1.16.4']);
    expect(pinnedTarget('1.16.4')).toEqual({ label: '1.16.4', moduleVersion: 'v1.16.4' });
  });

  test('all: every pinned version and every control (what the matrix can run)', () => {
    const all = selectedVersions(P, 'all');
    expect(all).toEqual(expect.arrayContaining(['1.19.7', '1.20.2', '1.16.4']));
    expect(all).toHaveLength(3);
  });

  test('an unknown version names the pins and the controls', () => {
    expect(() => selectedVersions(P, '1.17')).toThrow('Cilium 1.17 is not pinned (pins.json cilium.versions has 1.19, 1.20, cilium.controls has 1.16)');
    const noControls = { ...P, cilium: { default: '1.20', versions: { '1.20': '1.20.2' } } };
    expect(() => selectedVersions(noControls, '1.16')).toThrow('Cilium 1.16 is not pinned (pins.json cilium.versions has 1.20)');
  });

  test('the real pins: every control is selectable by its minor', () => {
    for (const [minor, patch] of Object.entries(pins.cilium.controls ?? {})) expect(selectedVersions(pins, minor)).toEqual([patch]);
  });
});
