import type { Platform } from '../oci/descriptor.js';
import type { Repository } from '../oci/reference.js';
import type { PublishInputs } from '../publish/types.js';

/** The build action's inputs, keyed by their action.yml names. */
export interface BuildInputs {
  readonly images: readonly Repository[];
  readonly platform: Platform;
  /** The name of one of backends/builders.ts. */
  readonly builder: string;
  /** builder none: the image another step pushed. */
  readonly digest: string | undefined;
  readonly context: string;
  readonly file: string | undefined;
  readonly target: string | undefined;
  readonly 'build-args': readonly string[];
  readonly labels: readonly string[];
  readonly annotations: readonly string[];
  /** `id=value` pairs; the values are secrets. */
  readonly secrets: readonly Secret[];
  readonly 'secret-files': readonly Secret[];
  readonly 'secret-envs': readonly Secret[];
  readonly provenance: string | undefined;
  readonly sbom: string | undefined;
  readonly 'cache-from': readonly string[];
  readonly 'cache-to': readonly string[];
  readonly 'no-cache': boolean;
  readonly pull: boolean;
  readonly 'records-path': string | undefined;
  readonly 'insecure-registries': readonly string[];
  /** The `tags` input: when set, this job also publishes the index of every record of the run it sees. */
  readonly publish: PublishInputs | undefined;
}

export interface Secret {
  readonly id: string;
  readonly value: string;
}

/** The inputs only a builder uses: a backend that does not build (none), or not with BuildKit, refuses them. */
export const buildOptionInputs = [
  'file',
  'target',
  'build-args',
  'labels',
  'annotations',
  'secrets',
  'secret-files',
  'secret-envs',
  'provenance',
  'sbom',
  'cache-from',
  'cache-to',
] as const;

export type BuildOptionInput = (typeof buildOptionInputs)[number];
