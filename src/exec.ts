/** What a command left behind. Output is kept only up to a limit (the end of it), since builds can print a lot. */
export interface ExecResult {
  /** 127 when the program is not found, as a shell has it. */
  readonly exitCode: number;
  /** The program is not installed: no such file on PATH. */
  readonly notFound?: boolean;
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
 * Runs a program to completion; resolves with its exit code however it ended (also when it is not installed), and
 * rejects only when it cannot start for another reason.
 * Features get it as a port so that tests and the demo run them with the real implementation or a PATH of stand-ins.
 */
export type Exec = (command: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;
