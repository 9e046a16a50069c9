import { describe, expect, test } from 'vitest';
import { UserError } from '../../config/errors.ts';
import { CommandError } from '../../harness/exec.ts';
import { recordedBeside } from '../../harness/recorded.ts';
import { causeLine, describeSetupFailure } from './setup-failure.ts';

const recorded = recordedBeside(import.meta.url);
const failed = (command: string, file: string) => new CommandError(command, 'exit code 1', recorded(file).trim());

describe('setup failures are one line: the step, the cause in the tool\'s words, the fix', () => {
  test.each([
    ['docker info', 'docker-info-daemon-down.txt', 'check docker', /^check docker failed: Cannot connect to the Docker daemon .*; fix: start Docker/],
    ['kind create cluster --name netrepro-bpf', 'kind-create-docker-down.txt', 'create cluster netrepro-bpf', /^create cluster netrepro-bpf failed: ERROR: failed to create cluster: failed to get docker info: .*; fix: start Docker/],
    ['kind load docker-image netrepro/not-built:v0', 'kind-load-image-not-present.txt', 'load 5 local images', /^load 5 local images failed: ERROR: image: "netrepro\/not-built:v0" not present locally .*; fix: build the local images/],
    ['helm upgrade --install cilium', 'helm-cluster-unreachable.txt', 'install Cilium 1.20.2', /^install Cilium 1\.20\.2 failed: Error: Kubernetes cluster unreachable: .*; fix: the API server does not answer/],
  ])('%s', (command, file, step, expected) => {
    const line = describeSetupFailure(failed(command, file), step);
    expect(line).toMatch(expected);
    expect(line).not.toContain('\n');
  });

  test('an unknown failure keeps its last line (or its first, for a plain error) and names its step, with no fix invented', () => {
    expect(describeSetupFailure(new CommandError('kind create cluster', 'exit code 3', 'something odd\nmore'), 'create cluster x')).toBe(
      'create cluster x failed: more (kind create cluster: exit code 3)',
    );
    expect(describeSetupFailure(new Error('boom\n    at stack'), undefined)).toBe('setup failed: boom');
  });

  test('a UserError is already the line to print', () => {
    expect(describeSetupFailure(new UserError('kind is not installed: run `npm run images -- toolchain`'), 'check tools')).toBe('kind is not installed: run `npm run images -- toolchain`');
  });

  test('the cause is kind\'s and helm\'s ERROR line, else the last line', () => {
    expect(causeLine('Creating cluster...\nERROR: failed to create cluster: x\nCommand Output: y')).toBe('ERROR: failed to create cluster: x');
    expect(causeLine('step one\nstep two')).toBe('step two');
  });
});
