import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';

/** The Debian package that provides each binary the support library runs, so a missing one fails with its fix. */
const debianPackages: Readonly<Record<string, string>> = {
  'docker-registry': 'docker-registry',
  skopeo: 'skopeo',
  buildah: 'buildah',
  htpasswd: 'apache2-utils',
  openssl: 'openssl',
  containerd: 'containerd',
  ctr: 'containerd',
};

export interface CommandResult {
  readonly stdout: Buffer;
  readonly stderr: string;
}

export interface CommandOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Values (passwords) to hide when the command line is quoted in an error. */
  readonly secrets?: readonly string[];
}

export function missingBinaryError(command: string): Error {
  const debianPackage = debianPackages[command] ?? command;
  return new Error(
    `${command} is not installed: the tests need it, install it with "apt-get install ${debianPackage}"`,
  );
}

/** Runs a command to completion; a non-zero exit rejects with the command line (credentials redacted) and its stderr. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: CommandOptions = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? missingBinaryError(command) : error),
    );
    child.on('close', (code, signal) => {
      const result = { stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8') };
      if (code === 0) return resolve(result);
      const commandLine = describeCommand(command, args, options.secrets ?? []);
      reject(new Error(`${commandLine} failed (${signal ?? `exit ${code}`}):\n${result.stderr}`));
    });
  });
}

// Test passwords are throwaway, but a failure message is still no place for one.
function describeCommand(command: string, args: readonly string[], secrets: readonly string[]): string {
  const shown = args.map((arg) => secrets.reduce((text, secret) => text.split(secret).join('[redacted]'), arg));
  return [command, ...shown].join(' ');
}

/** A long-running child (a registry) that cannot outlive the test process. */
export interface Daemon {
  /** What the daemon prints on stdout. */
  readonly stdout: Readable;
  /** Rejects when the daemon exits or cannot start, with the end of its stderr; never resolves. */
  readonly exited: Promise<never>;
  isRunning(): boolean;
  stderrTail(): string;
  /** Ends the daemon and waits until it has gone. */
  stop(): Promise<void>;
}

// Nothing in Node asks the kernel to kill a child with its parent, so a shell holds the daemon's leash: it reads our
// end of a pipe and kills the daemon when that closes, which happens however this process ends (even SIGKILL).
const leashScript = `command -v "$1" >/dev/null || exit 127
exec 3<&0
"$@" 3<&- </dev/null &
daemon=$!
{ while read -r _; do :; done; kill "$daemon"; } <&3 >/dev/null 2>&1 &
exec 3<&-
wait "$daemon"`;

export function startDaemon(command: string, args: readonly string[]): Daemon {
  const child = spawn('/bin/sh', ['-c', leashScript, 'sh', command, ...args], {
    env: process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true, // its own process group, so stop() can end the shell and the daemon together if it must
  });
  // A daemon a test forgot to stop must not keep jest waiting; the leash still ends it when jest exits.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref(): void }).unref();
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-16_384);
  });
  const exited = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 127) reject(missingBinaryError(command));
      else reject(new Error(`${command} exited (${signal ?? `exit ${code}`}):\n${stderr}`));
    });
  });
  exited.catch(() => undefined); // callers race it while starting; after stop() nobody needs to hear of the exit
  const isRunning = (): boolean => child.exitCode === null && child.signalCode === null;
  return { stdout: child.stdout, exited, isRunning, stderrTail: () => stderr, stop: () => stopLeashed(child) };
}

function stopLeashed(child: ChildProcess): Promise<void> {
  const running = child.exitCode === null && child.signalCode === null;
  child.stdin?.end();
  if (!running || child.pid === undefined) return Promise.resolve();
  const group = -child.pid;
  return new Promise((resolve) => {
    const forceKill = setTimeout(() => killGroup(group), 5_000);
    child.once('exit', () => {
      clearTimeout(forceKill);
      resolve();
    });
  });
}

function killGroup(group: number): void {
  try {
    process.kill(group, 'SIGKILL');
  } catch {
    // ESRCH: the group ended between the timeout and the kill, which is what we wanted.
  }
}
