/** What a command left behind. Output is kept only up to a limit (the end of it), since builds can print a lot. */
export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ExecOptions {
  /** Variables added to (or, when undefined, removed from) the action's own environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Leave the command's output out of the log (it is still returned). */
  readonly silent?: boolean;
}

/**
 * Runs a program to completion; resolves with its exit code however it ended, and rejects only when it cannot start.
 * Features get it as a port so that tests and the demo run them with the real implementation or a PATH of stand-ins.
 */
export type Exec = (command: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;
