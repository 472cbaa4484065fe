import { exec } from '@actions/exec';
import { which } from '@actions/io';
import type { Exec, ExecOptions } from '../exec.js';

// Enough for any error message or metadata a command prints; a build log beyond it is only shown, not kept.
const keptOutputBytes = 1024 * 1024;

/**
 * The Exec port over @actions/exec, as docker/actions-toolkit runs its tools: the command line and its output go to
 * the step log as it runs (unless `echo` is false, for callers that are not a step, such as tests), and only the end
 * of the output is kept. Bundled, it costs no measurable start time over node:child_process.
 */
export function processExec(settings: { readonly echo?: boolean } = {}): Exec {
  return async (command, args, options = {}) => {
    // Found once here; given the full path, @actions/exec does not search PATH again.
    const program = await which(command, false);
    if (!program) return { exitCode: 127, notFound: true, stdout: '', stderr: '' };
    const stdout = keptTail();
    const stderr = keptTail();
    const exitCode = await exec(program, [...args], {
      cwd: options.cwd,
      env: environment(options.env),
      silent: options.silent || settings.echo === false,
      ignoreReturnCode: true,
      listeners: { stdout: stdout.add, stderr: stderr.add },
    });
    return { exitCode, stdout: stdout.text(), stderr: stderr.text() };
  };
}

function environment(extra: ExecOptions['env']): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

function keptTail(): { add: (chunk: Buffer) => void; text: () => string } {
  let chunks: Buffer[] = [];
  let size = 0;
  return {
    add: (chunk) => {
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
