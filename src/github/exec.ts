import { spawn } from 'node:child_process';
import type { Exec, ExecOptions, ExecResult } from '../exec.js';
import type { Logger } from '../log.js';

// Enough for any error message or metadata a command prints; a build log beyond it is only shown, not kept.
const keptOutputBytes = 1024 * 1024;

/**
 * The Exec port over node:child_process: the command line and its output go to the step log as it runs (unless
 * `echo` is false, for callers that are not a step, such as tests).
 */
export function processExec(logger: Logger, settings: { readonly echo?: boolean } = {}): Exec {
  return (command, args, options = {}) => {
    logger.info(`[command] ${[command, ...args].join(' ')}`);
    return run(command, args, { ...options, silent: options.silent || settings.echo === false });
  };
}

function run(command: string, args: readonly string[], options: ExecOptions): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: environment(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout = keptTail(options.silent ? undefined : process.stdout);
    const stderr = keptTail(options.silent ? undefined : process.stderr);
    child.stdout.on('data', stdout.add);
    child.stderr.on('data', stderr.add);
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') return reject(error);
      resolve({ exitCode: 127, notFound: true, stdout: '', stderr: '' });
    });
    child.on('close', (code, signal) => {
      resolve({ exitCode: code ?? (signal ? 128 : 1), stdout: stdout.text(), stderr: stderr.text() });
    });
  });
}

function environment(extra: ExecOptions['env']): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

function keptTail(echo: NodeJS.WritableStream | undefined): { add: (chunk: Buffer) => void; text: () => string } {
  let chunks: Buffer[] = [];
  let size = 0;
  return {
    add: (chunk) => {
      echo?.write(chunk);
      chunks.push(chunk);
      size += chunk.length;
      if (size > 2 * keptOutputBytes) {
        const joined = Buffer.concat(chunks);
        chunks = [joined.subarray(joined.length - keptOutputBytes)];
        size = keptOutputBytes;
      }
    },
    text: () => {
      const joined = Buffer.concat(chunks);
      return joined.subarray(Math.max(0, joined.length - keptOutputBytes)).toString('utf8');
    },
  };
}
