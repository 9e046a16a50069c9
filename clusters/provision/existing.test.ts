// An existing cluster's API server that refuses us, denies us, or never answers: one line each, in bounded time.
// Every server here is a local stand-in on loopback.
import { afterEach, describe, expect, test } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectExisting } from './existing.ts';

/** The bound the tests hold the probe to; the real one is EXISTING_API_TIMEOUT_MS. */
const TEST_TIMEOUT_MS = 1_000;
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function kubeconfigFor(server: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'netrepro-kubeconfig-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'config');
  writeFileSync(path, `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "${server}", insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: not-a-real-token } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`);
  return path;
}

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const sockets = new Set<Socket>();
  const server: Server = createServer(handler);
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => (sockets.forEach((s) => s.destroy()), server.close()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const status = (code: number) => serve((_, res) => res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'Status', code })));

describe('connecting to an existing cluster', () => {
  test('401: the credentials are named as the problem', async () => {
    const server = await status(401);
    await expect(connectExisting(kubeconfigFor(server), TEST_TIMEOUT_MS)).rejects.toThrow(new RegExp(`^cluster at ${server} .* rejected the kubeconfig's credentials \\(401 Unauthorized\\)`));
  });

  test('403: the missing permission is named', async () => {
    const server = await status(403);
    await expect(connectExisting(kubeconfigFor(server), TEST_TIMEOUT_MS)).rejects.toThrow(/denied listing API resources .*\(403 Forbidden\): the suite needs cluster-admin/);
  });

  test('a server that accepts the connection and never answers: one line after the bound', async () => {
    const server = await serve(() => undefined);
    const started = Date.now();
    await expect(connectExisting(kubeconfigFor(server), TEST_TIMEOUT_MS)).rejects.toThrow(/accepted the connection but did not answer within 1 s/);
    expect(Date.now() - started).toBeLessThan(TEST_TIMEOUT_MS * 5);
  });

  test('nothing listening: connection refused, named as such', async () => {
    const server = await serve(() => undefined);
    cleanups.splice(0).forEach((c) => c());
    await expect(connectExisting(kubeconfigFor(server), TEST_TIMEOUT_MS)).rejects.toThrow(/nothing listens there \(ECONNREFUSED\)/);
  });

  test('an API server that answers is accepted', async () => {
    const server = await serve((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'APIResourceList', groupVersion: 'v1', resources: [] })));
    await expect(connectExisting(kubeconfigFor(server), TEST_TIMEOUT_MS)).resolves.toBeDefined();
  });
});
