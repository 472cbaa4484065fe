import type { Descriptor, Platform } from '../../src/oci/descriptor.js';

/** How a BuildKit version stores provenance: v0.32's OCI artifact, or the image manifest of v0.31 and before. */
export type AttestationLayout = 'oci-artifact' | 'image-manifest';

export declare const attestationLayouts: readonly AttestationLayout[];

export declare function goJson(value: unknown, indent?: number): Buffer;

export declare function buildkitPlatform(text: string): Platform;

export declare function writeBuildkitPush(
  dir: string,
  options: {
    readonly platform: string;
    readonly names?: readonly string[];
    readonly attestationLayout?: AttestationLayout;
  },
): Descriptor;
