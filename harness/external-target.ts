import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { KIND_NETWORK } from './docker-network.ts';

export interface ExternalTarget {
  /** The target's address on the kind docker network: outside the cluster, inside this machine. */
  ip: string;
  port: number;
  stop: () => Promise<void>;
}

/**
 * An HTTP server on the kind docker network, outside the cluster: a stand-in
 * for "the internet" that keeps all traffic on this machine.
 */
export async function startExternalTarget(image: string): Promise<ExternalTarget> {
  // The reaper needs its own image from a registry; without one we stop the container ourselves.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  const container: StartedTestContainer = await new GenericContainer(image)
    .withCommand(['netexec', '--http-port=8080'])
    .withNetworkMode(KIND_NETWORK)
    .withExposedPorts(8080)
    .withWaitStrategy(Wait.forHttp('/healthz', 8080).withStartupTimeout(60_000))
    .withPullPolicy({ shouldPull: () => false })
    .start();
  return { ip: container.getIpAddress(KIND_NETWORK), port: 8080, stop: async () => void (await container.stop({ timeout: 5_000 })) };
}
