import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand, startDaemon, type Daemon } from './process.js';
import type { TestUser } from './registry.js';

/**
 * A real containerd (Debian's package) of this test process: its own root, state and socket, no CRI, no task
 * runtime, and the native snapshotter, so it pulls and unpacks as root without systemd, cgroups or overlayfs.
 */
export interface Containerd {
  /**
   * Pulls `reference` for `platform` with `ctr images pull` (fetch, then unpack) in a namespace of its own, and
   * returns every manifest digest the pull fetched: the index and the child containerd chose.
   */
  pull(reference: string, platform: string, options?: { readonly user?: TestUser }): Promise<string[]>;
  stop(): Promise<void>;
}

// Everything the pull does not need is switched off (the plugin ids of containerd 1.6).
const disabledPlugins = [
  'io.containerd.grpc.v1.cri',
  'io.containerd.internal.v1.opt',
  'io.containerd.internal.v1.restart',
  'io.containerd.snapshotter.v1.aufs',
  'io.containerd.snapshotter.v1.btrfs',
  'io.containerd.snapshotter.v1.devmapper',
  'io.containerd.snapshotter.v1.zfs',
  'io.containerd.snapshotter.v1.overlayfs',
  'io.containerd.runtime.v1.linux',
  'io.containerd.runtime.v2.task',
  'io.containerd.monitor.v1.cgroups',
  'io.containerd.service.v1.tasks-service',
  'io.containerd.grpc.v1.tasks',
];

const readyTimeoutMs = 10_000;

export async function startContainerd(): Promise<Containerd> {
  // A unix socket's path must stay under 108 bytes: a short directory in /tmp.
  const dir = await mkdtemp('/tmp/ctd-');
  const socket = join(dir, 'containerd.sock');
  const config = [
    'version = 2',
    `root = "${join(dir, 'root')}"`,
    `state = "${join(dir, 'state')}"`,
    `disabled_plugins = [${disabledPlugins.map((plugin) => `"${plugin}"`).join(', ')}]`,
    '[grpc]',
    `  address = "${socket}"`,
  ].join('\n');
  await writeFile(join(dir, 'config.toml'), `${config}\n`);
  const daemon = startDaemon('containerd', ['--config', join(dir, 'config.toml')]);
  const ctr = (args: readonly string[], secrets: readonly string[] = []) =>
    runCommand('ctr', ['--address', socket, ...args], { secrets });
  try {
    await Promise.race([waitUntilServing(ctr), daemon.exited]);
  } catch (error) {
    await stopAndRemove(daemon, dir);
    throw error;
  }
  let namespaces = 0;
  return {
    async pull(reference, platform, options = {}) {
      const namespace = `pull-${++namespaces}`;
      const user = options.user ? ['--user', `${options.user.username}:${options.user.password}`] : [];
      const secrets = options.user ? [options.user.password] : [];
      const pull = ['images', 'pull', '--plain-http', '--snapshotter', 'native', '--platform', platform];
      await ctr(['--namespace', namespace, ...pull, ...user, reference], secrets);
      const { stdout } = await ctr(['--namespace', namespace, 'content', 'ls', '--quiet']);
      return stdout.toString('utf8').split('\n').filter(Boolean);
    },
    stop: () => stopAndRemove(daemon, dir),
  };
}

async function waitUntilServing(ctr: (args: readonly string[]) => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    try {
      await ctr(['version']);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`containerd did not answer ctr version: ${error}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

async function stopAndRemove(daemon: Daemon, dir: string): Promise<void> {
  await daemon.stop();
  await rm(dir, { recursive: true, force: true });
}
