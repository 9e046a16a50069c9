import { describe, expect, test } from 'vitest';
import { registryNames } from './local-registry.ts';

describe('local registry names', () => {
  test('an image built here: pushed on loopback, pulled by name on the kind network, named for the pods as docker.io', () => {
    expect(registryNames('netrepro/cilium:v1.20.2')).toEqual({
      push: 'localhost:5001/netrepro/cilium:v1.20.2',
      pull: 'netrepro-registry:5000/netrepro/cilium:v1.20.2',
      local: 'docker.io/netrepro/cilium:v1.20.2',
    });
  });

  test('an image that names a registry is refused: only images built here go through it', () => {
    expect(() => registryNames('quay.io/cilium/cilium:v1.20.2')).toThrow(/names a registry/);
    expect(() => registryNames('localhost:5001/netrepro/x:1')).toThrow(/names a registry/);
  });
});
