import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { availableParallelism, release } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runCommand } from '../__tests__/support/process.js';
import { median } from './analysis.js';

/** What the results were measured on, so that a number in bench/RESULTS.md can be compared with a later one. */
export interface Machine {
  readonly nproc: number;
  readonly cpu: string;
  readonly memory: string;
  readonly kernel: string;
  readonly node: string;
  readonly date: string;
  readonly commit: string;
}

export async function describeMachine(): Promise<Machine> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const free = (await output('free', ['-h'])).trimEnd();
  const commit = await output('git', ['rev-parse', '--short', 'HEAD']);
  const dirty = (await output('git', ['status', '--porcelain', '--untracked-files=no'])) !== '';
  return {
    nproc: availableParallelism(),
    cpu: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    memory: free || 'unknown',
    kernel: `Linux ${release()}`,
    node: process.version,
    date: new Date().toISOString(),
    commit: commit ? `${commit}${dirty ? ' with uncommitted changes' : ''}` : 'not a git checkout',
  };
}

async function output(command: string, args: readonly string[]): Promise<string> {
  try {
    return (await runCommand(command, args)).stdout.toString('utf8').replace(/^\n+|\s+$/g, '');
  } catch {
    return '';
  }
}

/** Where the merge bundle's start-up time goes: node itself, and the modules it imports before any request. */
export interface StartupProfile {
  /** Spawn to the first byte a node that does nothing else writes to stdout. */
  readonly nodeMs: number;
  /** The same, for a node that first imports every chunk dist/merge.js imports statically (not merge.js itself). */
  readonly staticImportsMs: number;
  readonly staticFiles: readonly { readonly file: string; readonly bytes: number }[];
  /** Chunks only reached through import(), with their sizes. */
  readonly lazyFiles: readonly { readonly file: string; readonly bytes: number }[];
}

export async function profileStartup(entry: string, runs: number): Promise<StartupProfile> {
  const graph = await moduleGraph(resolve(entry));
  const chunks = graph.static.filter((file) => file !== resolve(entry));
  const importAll = chunks.map((file) => `import ${JSON.stringify(`file://${file}`)};`).join('');
  const nodeMs: number[] = [];
  const importMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    nodeMs.push(await timeToOutput(['--input-type=module', '-e', signal]));
    importMs.push(await timeToOutput(['--input-type=module', '-e', `${importAll}${signal}`]));
  }
  const sized = (files: readonly string[]) =>
    Promise.all(
      files.map(async (file) => ({ file: file.slice(resolve('.').length + 1), bytes: (await stat(file)).size })),
    );
  return {
    nodeMs: median(nodeMs),
    staticImportsMs: median(importMs),
    staticFiles: await sized(graph.static),
    lazyFiles: await sized(graph.lazy.filter((file) => !graph.static.includes(file))),
  };
}

const signal = "process.stdout.write('.');";

/** Spawn to the first byte on stdout: start-up without the exit, as the merge's first request comes before its exit. */
function timeToOutput(args: readonly string[]): Promise<number> {
  return new Promise((done, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    child.on('error', reject);
    child.stdout.once('data', () => done(performance.now() - started));
    child.on('exit', (code) => reject(new Error(`node ${args.join(' ')} exited ${code} without output`)));
  });
}

/** The relative imports of a bundle, followed from `entry`: static `from "./x.js"` ones, and `import("./x.js")` ones. */
async function moduleGraph(entry: string): Promise<{ static: string[]; lazy: string[] }> {
  const seen = new Set<string>();
  const lazy = new Set<string>();
  // Bundled libraries quote import statements in strings and comments; only files that exist are the bundle's own.
  const targets = (file: string, text: string, pattern: RegExp) =>
    [...text.matchAll(pattern)].map((match) => join(dirname(file), match[1] ?? '')).filter((path) => existsSync(path));
  const visit = async (file: string): Promise<void> => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = await readFile(file, 'utf8');
    targets(file, text, /\bimport\s*\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g).forEach((path) => lazy.add(path));
    for (const path of targets(
      file,
      text,
      /^(?:import\s[^;]*?from\s*|import\s*|\}\s*from\s*)["'](\.{1,2}\/[^"']+)["']/gm,
    )) {
      await visit(path);
    }
  };
  await visit(entry);
  return { static: [...seen], lazy: [...lazy] };
}
