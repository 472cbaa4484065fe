import type { Exec, ExecOptions, ExecResult } from '../../exec.js';
import type { Logger } from '../../log.js';
import type { Platform } from '../../oci/descriptor.js';
import { formatPlatform } from '../../oci/platform.js';
import type { RegistryClients } from '../../oci/client.js';
import { UserError } from '../../errors.js';
import type { BuildInputs, BuildOptionInput } from '../types.js';

/** What a backend needs besides the inputs: a scratch directory of its own, and the ports to the world. */
export interface BackendContext {
  readonly inputs: BuildInputs;
  /** Removed after the build; secrets written for the builder live here. */
  readonly workDir: string;
  /** Unique per image set and platform: the cache scope that keeps parallel platform builds apart. */
  readonly cacheScope: string;
  readonly exec: Exec;
  readonly clients: RegistryClients;
  readonly logger: Logger;
  /** The step's environment (SOURCE_DATE_EPOCH for reproducible builds). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A way to get one platform's image pushed by digest: its name in `builder`, its run, and what it takes. */
export interface Backend {
  readonly name: string;
  /** Builds the platform (or not) and leaves it pushed by digest in every image; returns that digest. */
  readonly run: (context: BackendContext) => Promise<string>;
  /** The build options it does not take: setting one fails before anything runs, with this problem and fix. */
  readonly refuses?: {
    readonly inputs: readonly BuildOptionInput[];
    readonly problem: string;
    readonly fix: (input: string) => string;
  };
  /** `digest`, the image another step pushed: what builder none records, and what a building backend refuses. */
  readonly digest: 'required' | 'refused';
  /** The program it runs, and what to do on a runner that lacks it. */
  readonly tool?: Tool;
  /** What to check when the digest it reported is not in a registry after all. */
  readonly notPushedFix: string;
}

export interface Tool {
  readonly command: string;
  readonly missingFix: string;
}

/** Runs the backend's program; a runner without it gets the backend's advice, not a bare "not found". */
export async function runTool(
  exec: Exec,
  tool: Tool,
  args: readonly string[],
  options?: ExecOptions,
): Promise<ExecResult> {
  const result = await exec(tool.command, args, options);
  if (!result.notFound) return result;
  throw new UserError('builder', `needs ${tool.command}, which is not installed on this runner.`, tool.missingFix);
}

/** `--platform` for a builder: os/architecture[/variant]; an os.version is the base image's to give, not the flag's. */
export function platformArgument(platform: Platform): string {
  const { os, architecture, variant } = platform;
  return formatPlatform({ os, architecture, ...(variant === undefined ? {} : { variant }) });
}

/** `--flag value` for each value, in order: how both builders take repeatable options. */
export function repeated(flag: string, values: readonly string[]): string[] {
  return values.flatMap((value) => [flag, value]);
}
