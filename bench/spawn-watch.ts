import childProcess, { type ChildProcess } from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import { performance } from 'node:perf_hooks';

/** When the bench's process started a child, and when that child exited, on the proxies' clock. */
export interface SpawnTiming {
  readonly pid: number | undefined;
  readonly spawnedAt: number;
  /** Resolves with performance.now() at the child's exit. */
  readonly exited: Promise<number>;
}

type Watcher = (command: string, args: readonly string[], child: ChildProcess, at: number) => void;

const watchers = new Set<Watcher>();
let installed = false;

/**
 * The runner harness spawns `node dist/merge.js` itself and exposes neither the moment nor the pid; cold start is
 * "spawn to first request", so the bench wraps child_process.spawn once (syncBuiltinESMExports makes the harness's
 * named ESM import see the wrapper) and watches for the next spawn of a script whose path ends with `scriptSuffix`.
 */
export function nextSpawnOf(scriptSuffix: string): Promise<SpawnTiming> {
  install();
  return new Promise((resolve) => {
    const watcher: Watcher = (command, args, child, at) => {
      if (command !== process.execPath || !args[0]?.endsWith(scriptSuffix)) return;
      watchers.delete(watcher);
      const exited = new Promise<number>((done) => child.once('exit', () => done(performance.now())));
      resolve({ pid: child.pid, spawnedAt: at, exited });
    };
    watchers.add(watcher);
  });
}

function install(): void {
  if (installed) return;
  installed = true;
  const original = childProcess.spawn;
  const wrapped = (...parameters: Parameters<typeof original>): ChildProcess => {
    const at = performance.now();
    const child = original(...parameters);
    const [command, args] = parameters as unknown as [string, readonly string[] | undefined];
    for (const watcher of [...watchers]) watcher(command, Array.isArray(args) ? args : [], child, at);
    return child;
  };
  childProcess.spawn = wrapped as typeof original;
  syncBuiltinESMExports();
}
