import type { Exec } from '../../exec.js';
import type { Logger } from '../../log.js';
import type { Platform } from '../../oci/descriptor.js';
import { formatPlatform } from '../../oci/platform.js';
import type { RegistryClients } from '../../oci/remote.js';
import type { BuildInputs } from '../inputs.js';

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

/** Builds the platform (or not) and leaves it pushed by digest in every image; returns that digest. */
export type Backend = (context: BackendContext) => Promise<string>;

/** `--platform` for a builder: os/architecture[/variant]; an os.version is the base image's to give, not the flag's. */
export function platformArgument(platform: Platform): string {
  const { os, architecture, variant } = platform;
  return formatPlatform({ os, architecture, ...(variant === undefined ? {} : { variant }) });
}

/** `--flag value` for each value, in order: how both builders take repeatable options. */
export function repeated(flag: string, values: readonly string[]): string[] {
  return values.flatMap((value) => [flag, value]);
}
