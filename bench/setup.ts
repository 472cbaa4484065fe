import { existsSync, statfsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeRecords } from '../__tests__/support/merge-fixture.js';
import { startRegistry, type RegistryAuth, type TestRegistry } from '../__tests__/support/registry.js';
import { startDelayProxy, type DelayProxy, type ProxiedRequest } from './delay-proxy.js';
import type { BenchImage } from './images.js';

/** A real registry (CNCF distribution) as the bench's clients see it: behind a delay proxy, on loopback. */
export interface BenchRegistry {
  readonly registry: TestRegistry;
  /** The proxy in front of the registry; its host is the registry name in every image reference. */
  readonly proxy: DelayProxy;
  /** The proxy in front of a token registry's token server. */
  readonly tokenProxy?: DelayProxy;
  /** A DOCKER_CONFIG directory with the pusher's credentials for the proxy's host (empty for an open registry). */
  readonly dockerConfig: string;
  /** Requests the registry saw since the last reset (the token server's are in tokenRequests). */
  requests(): readonly ProxiedRequest[];
  tokenRequests(): readonly ProxiedRequest[];
  reset(): void;
  stop(): Promise<void>;
}

/**
 * Where registries keep their storage: in memory (/dev/shm) where the machine has it with room for the copy
 * benchmark's layers (a container's default /dev/shm of 64 MiB has not), so that the numbers are the clients' and
 * the emulated network's, not this machine's disk's. Every tool measured gets the same registries.
 */
export const registryStorage = hasRoom('/dev/shm', 4 * 1024 ** 3) ? '/dev/shm' : tmpdir();

function hasRoom(dir: string, bytes: number): boolean {
  if (!existsSync(dir)) return false;
  const { bavail, bsize } = statfsSync(dir);
  return bavail * bsize >= bytes;
}

export async function startBenchRegistry(auth: RegistryAuth, delayMs: number): Promise<BenchRegistry> {
  const registry = await startRegistry({ auth, parentDir: registryStorage });
  const proxies: DelayProxy[] = [];
  try {
    const issuer = registry.tokenIssuer ? new URL(registry.tokenIssuer.realm).host : undefined;
    const tokenProxy = issuer ? await startDelayProxy({ target: issuer, delayMs }) : undefined;
    if (tokenProxy) proxies.push(tokenProxy);
    const proxy = await startDelayProxy({
      target: registry.host,
      delayMs,
      rewrite: issuer && tokenProxy ? [{ from: `//${issuer}/`, to: `//${tokenProxy.host}/` }] : [],
    });
    proxies.push(proxy);
    const dockerConfig = await writeDockerConfig(auth === 'none' ? undefined : { host: proxy.host, registry });
    return {
      registry,
      proxy,
      ...(tokenProxy ? { tokenProxy } : {}),
      dockerConfig,
      requests: () => proxy.requests(),
      tokenRequests: () => tokenProxy?.requests() ?? [],
      reset: () => proxies.forEach((each) => each.reset()),
      stop: async () => {
        await Promise.all(proxies.map((each) => each.stop()));
        await registry.stop();
        await rm(dockerConfig, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(proxies.map((each) => each.stop()));
    await registry.stop();
    throw error;
  }
}

async function writeDockerConfig(login: { host: string; registry: TestRegistry } | undefined): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-docker-config-'));
  await mkdir(dir, { recursive: true });
  const auths = login
    ? {
        [login.host]: {
          auth: Buffer.from(`${login.registry.pusher.username}:${login.registry.pusher.password}`).toString('base64'),
        },
      }
    : {};
  await writeFile(join(dir, 'config.json'), JSON.stringify({ auths }));
  return dir;
}

/** `repository` as the clients name it in `registry`: on the proxy's host. */
export const imageName = (registry: BenchRegistry, repository: string): string =>
  `${registry.proxy.host}/${repository}`;

/** Digest records of `images`, each naming every one of `names` (as a build job pushing to all of them writes). */
export function recordsFor(images: readonly BenchImage[], names: readonly string[]): Promise<string> {
  return writeRecords(images.map((image) => ({ layout: image.layout, platform: image.platform, images: names })));
}

/**
 * The child digests of the index `tag` resolves to, read from the registry itself (not through the proxy, so it
 * costs the measured runs nothing): proof that a tool really published what it was asked to.
 */
export async function readIndexChildren(registry: BenchRegistry, repository: string, tag: string): Promise<string[]> {
  const response = await fetch(`http://${registry.registry.host}/v2/${repository}/manifests/${tag}`, {
    headers: {
      accept: 'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json',
    },
  });
  if (response.status !== 200) return [];
  const index = (await response.json()) as { manifests?: { digest: string }[] };
  return (index.manifests ?? []).map((manifest) => manifest.digest);
}
