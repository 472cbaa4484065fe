import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildahEnvironment } from '../__tests__/support/images.js';
import { runCommand } from '../__tests__/support/process.js';
import type { Platform } from '../src/oci/descriptor.js';

/** What every tool is asked to do: one index of `children` under every tag of `repository` (a plain-HTTP registry). */
export interface PeerWork {
  /** `127.0.0.1:PORT/bench/app`. */
  readonly repository: string;
  readonly children: readonly { readonly digest: string; readonly platform: Platform }[];
  readonly tags: readonly string[];
  /** A fresh directory the tool may keep its state in (DOCKER_CONFIG, buildah storage, a spec file). */
  readonly workDir: string;
}

export interface Peer {
  readonly name: string;
  /** How it is driven, as a user would. */
  readonly method: string;
  /** Whether this command line has been run against a registry on this project's machines. */
  readonly verifiedHere: boolean;
  /** Its version, or undefined when it is not installed. */
  version(): Promise<string | undefined>;
  publish(work: PeerWork): Promise<void>;
}

const run = (command: string, args: readonly string[], env?: NodeJS.ProcessEnv) =>
  runCommand(command, args, env ? { env: { ...process.env, ...env } } : {});

async function firstLine(command: string, args: readonly string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run(command, args);
    return stdout.toString('utf8').split('\n')[0]?.trim() || command;
  } catch {
    return undefined;
  }
}

const byDigest = (work: PeerWork) => work.children.map((child) => `${work.repository}@${child.digest}`);
const tagged = (work: PeerWork, tag: string | undefined) => `${work.repository}:${tag ?? 'latest'}`;

const dockerManifest: Peer = {
  name: 'docker manifest',
  method: 'docker manifest create --insecure + docker manifest push --insecure, per tag (no daemon needed)',
  verifiedHere: true,
  version: async () =>
    (await firstLine('docker', ['manifest', '--help'])) ? firstLine('docker', ['--version']) : undefined,
  publish: async (work) => {
    const env = { DOCKER_CONFIG: work.workDir };
    for (const tag of work.tags) {
      await run('docker', ['manifest', 'create', '--insecure', tagged(work, tag), ...byDigest(work)], env);
      await run('docker', ['manifest', 'push', '--insecure', tagged(work, tag)], env);
    }
  },
};

const buildahManifest: Peer = {
  name: 'buildah manifest',
  method: 'buildah manifest create, add per child, push --all per tag',
  verifiedHere: true,
  version: () => firstLine('buildah', ['--version']),
  publish: async (work) => {
    const env = await buildahEnvironment();
    const tls = '--tls-verify=false';
    await run('buildah', ['manifest', 'create', 'bench-index'], env);
    for (const child of byDigest(work)) {
      await run('buildah', ['manifest', 'add', tls, 'bench-index', `docker://${child}`], env);
    }
    for (const tag of work.tags) {
      await run('buildah', ['manifest', 'push', '--all', tls, 'bench-index', `docker://${tagged(work, tag)}`], env);
    }
  },
};

const buildxImagetools: Peer = {
  name: 'docker buildx imagetools',
  method: 'docker buildx imagetools create with every -t at once',
  verifiedHere: false,
  version: () => firstLine('docker', ['buildx', 'version']),
  publish: async (work) => {
    const tags = work.tags.flatMap((tag) => ['-t', tagged(work, tag)]);
    await run('docker', ['buildx', 'imagetools', 'create', ...tags, ...byDigest(work)], {
      DOCKER_CONFIG: work.workDir,
    });
  },
};

const crane: Peer = {
  name: 'crane',
  method: 'crane index append -t first tag, then crane tag per other tag',
  verifiedHere: false,
  version: () => firstLine('crane', ['version']),
  publish: async (work) => {
    const [first, ...rest] = work.tags;
    const manifests = byDigest(work).flatMap((child) => ['-m', child]);
    await run('crane', ['index', 'append', '--insecure', '-t', tagged(work, first), ...manifests]);
    for (const tag of rest) await run('crane', ['tag', '--insecure', tagged(work, first), tag]);
  },
};

const regctl: Peer = {
  name: 'regctl',
  method: 'regctl index create on the first tag, then regctl image copy per other tag',
  verifiedHere: false,
  version: () => firstLine('regctl', ['version']),
  publish: async (work) => {
    const [first, ...rest] = work.tags;
    const host = ['--host', `reg=${work.repository.split('/')[0]},tls=disabled`];
    const env = { HOME: work.workDir };
    const refs = byDigest(work).flatMap((child) => ['--ref', child]);
    await run('regctl', [...host, 'index', 'create', tagged(work, first), ...refs], env);
    for (const tag of rest)
      await run('regctl', [...host, 'image', 'copy', tagged(work, first), tagged(work, tag)], env);
  },
};

const manifestTool: Peer = {
  name: 'manifest-tool',
  method: 'manifest-tool push from-spec (one spec naming every tag)',
  verifiedHere: false,
  version: () => firstLine('manifest-tool', ['--version']),
  publish: async (work) => {
    const [first, ...rest] = work.tags;
    const spec = join(work.workDir, 'spec.json');
    const manifests = work.children.map((child) => ({
      image: `${work.repository}@${child.digest}`,
      platform: child.platform,
    }));
    // YAML is a superset of JSON.
    await writeFile(spec, JSON.stringify({ image: tagged(work, first), tags: rest, manifests }));
    await run('manifest-tool', ['--plain-http', 'push', 'from-spec', spec]);
  },
};

/** In the order of the table. */
export const peers: readonly Peer[] = [buildxImagetools, manifestTool, regctl, crane, dockerManifest, buildahManifest];

/** Runs one publish by `peer` in a fresh work directory; resolves to the wall time in ms. */
export async function timePeer(peer: Peer, work: Omit<PeerWork, 'workDir'>): Promise<number> {
  const workDir = await mkdtemp(join(tmpdir(), 'bench-peer-'));
  try {
    const started = performance.now();
    await peer.publish({ ...work, workDir });
    return performance.now() - started;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
