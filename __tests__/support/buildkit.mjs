// What BuildKit pushes for one platform built with provenance (buildx's default, mode=min) and pushed by digest,
// written byte for byte as moby/buildkit writes it, so that the merge meets the documents real build jobs leave.
// Read from moby/buildkit v0.32.2 and v0.31.2, exporter/containerimage/writer.go:
// - every manifest and the index: json.MarshalIndent(x, "", "  ") (writer.go:359, 548, 661); the in-toto statement and
//   the configs: json.Marshal (writer.go:597, 723-736, 839); no trailing newline anywhere;
// - keys in Go struct order (image-spec v1.1.1 specs-go: schemaVersion before mediaType; a descriptor's mediaType,
//   digest, size, urls, annotations, data, platform, artifactType), map keys sorted, '<', '>' and '&' escaped;
// - the image config re-marshalled as a map, so its top-level keys come out sorted (writer.go:748-841);
// - the index lists the image (its platform normalised as containerd's platforms.Normalize does: arm64 without v8,
//   arm with v7) and then its attestation manifest, platform unknown/unknown, annotated with the image's digest;
// - v0.32 (moby/buildkit#6914, the default since): the attestation manifest is an OCI artifact with artifactType
//   application/vnd.docker.attestation.manifest.v1+json, the empty config {} (descriptor with data "e30=") and a
//   subject naming the image manifest; up to v0.31 it is an image manifest with an unknown/unknown config.
// Node's fs only, no TypeScript: the docker stand-in (a plain node script) writes the same documents.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The two ways BuildKit stores provenance: v0.32's OCI artifact, and the image manifest of v0.31 and before. */
export const attestationLayouts = ['oci-artifact', 'image-manifest'];

const ociIndex = 'application/vnd.oci.image.index.v1+json';
const ociManifest = 'application/vnd.oci.image.manifest.v1+json';
const ociConfig = 'application/vnd.oci.image.config.v1+json';
const inToto = 'application/vnd.in-toto+json';
const slsaV1 = 'https://slsa.dev/provenance/v1';
const emptyConfig = {
  mediaType: 'application/vnd.oci.empty.v1+json',
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
  data: 'e30=',
};

/** JSON as Go's encoding/json writes it: HTML-safe escapes; MarshalIndent's layout when `indent` is given. */
export function goJson(value, indent) {
  const text = indent === undefined ? JSON.stringify(value) : JSON.stringify(value, null, indent);
  return Buffer.from(
    text.replace(/[<>&\u2028\u2029]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`),
    'utf8',
  );
}

/** The platform BuildKit gives the image: containerd's normalised form (arm64 drops v8, bare arm means v7). */
export function buildkitPlatform(text) {
  const [os, architecture, variant] = text.split('/');
  if (architecture === 'arm64' && (variant === undefined || variant === 'v8')) return { architecture, os };
  if (architecture === 'arm') return { architecture, os, variant: variant ?? 'v7' };
  return { architecture, os, ...(variant ? { variant } : {}) };
}

function blobPath(dir, digest) {
  return join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
}

function writeBlob(dir, mediaType, bytes) {
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  writeFileSync(blobPath(dir, digest), bytes);
  return { mediaType, digest, size: bytes.length };
}

function readJson(dir, digest) {
  return JSON.parse(readFileSync(blobPath(dir, digest), 'utf8'));
}

function sortedKeys(object) {
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((key) => [key, object[key]]),
  );
}

/** The image config and manifest as BuildKit writes them, from the image a builder left in the layout. */
function writeImage(dir, built, platform) {
  const config = sortedKeys({ ...readJson(dir, built.config.digest), ...platform });
  if (platform.variant === undefined) delete config.variant;
  const configDescriptor = writeBlob(dir, ociConfig, goJson(config));
  const layers = built.layers.map(({ mediaType, digest, size }) => ({ mediaType, digest, size }));
  const manifest = { schemaVersion: 2, mediaType: ociManifest, config: configDescriptor, layers };
  return writeBlob(dir, ociManifest, goJson(manifest, 2));
}

// util/purl/image.go: a name without a tag gets `latest`, the platform is a qualifier.
function purl(name, platform) {
  const text = [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
  return `pkg:docker/${name}@latest?platform=${encodeURIComponent(text)}`;
}

/** A provenance statement in the order of in-toto's Statement struct, its predicate compacted as Go re-marshals it. */
function writeStatement(dir, image, platform, names) {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    predicateType: slsaV1,
    subject: names.map((name) => ({ name: purl(name, platform), digest: { sha256: image.digest.slice(7) } })),
    predicate: {
      buildDefinition: {
        buildType: 'https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md',
        externalParameters: { configSource: {}, request: { frontend: 'dockerfile.v0' } },
        internalParameters: { builderPlatform: 'linux/amd64' },
      },
      runDetails: {
        builder: { id: '' },
        metadata: {
          invocationId: createHash('sha256').update(image.digest).digest('hex').slice(0, 26),
          buildkit_metadata: {},
          buildkit_completeness: { request: true, resolvedDependencies: false },
        },
      },
    },
  };
  return writeBlob(dir, inToto, goJson(statement));
}

function writeAttestationManifest(dir, image, statement, attestationLayout) {
  const layers = [{ ...statement, annotations: { 'in-toto.io/predicate-type': slsaV1 } }];
  if (attestationLayout === 'oci-artifact') {
    writeBlob(dir, emptyConfig.mediaType, Buffer.from('{}'));
    const manifest = {
      schemaVersion: 2,
      mediaType: ociManifest,
      artifactType: 'application/vnd.docker.attestation.manifest.v1+json',
      config: emptyConfig,
      layers,
      subject: { mediaType: image.mediaType, digest: image.digest, size: image.size },
    };
    return writeBlob(dir, ociManifest, goJson(manifest, 2));
  }
  if (attestationLayout !== 'image-manifest') throw new Error(`unknown attestation layout ${attestationLayout}`);
  const config = {
    architecture: 'unknown',
    os: 'unknown',
    config: {},
    rootfs: { type: 'layers', diff_ids: [statement.digest] },
  };
  const manifest = {
    schemaVersion: 2,
    mediaType: ociManifest,
    config: writeBlob(dir, ociConfig, goJson(config)),
    layers,
  };
  return writeBlob(dir, ociManifest, goJson(manifest, 2));
}

/**
 * Turns a layout holding one built image into what BuildKit pushes for it: the image re-written as BuildKit writes
 * it, its provenance in `attestationLayout`, and the index naming both, which index.json then names as `image`.
 * Returns the index's descriptor: the digest a build job records.
 */
export function writeBuildkitPush(dir, options) {
  const { platform: platformText, names = [], attestationLayout = 'oci-artifact' } = options;
  const top = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')).manifests[0];
  const platform = buildkitPlatform(platformText);
  const image = writeImage(dir, readJson(dir, top.digest), platform);
  const statement = writeStatement(dir, image, platform, names);
  const attestation = writeAttestationManifest(dir, image, statement, attestationLayout);
  const index = {
    schemaVersion: 2,
    mediaType: ociIndex,
    manifests: [
      { ...image, platform },
      {
        ...attestation,
        annotations: {
          'vnd.docker.reference.digest': image.digest,
          'vnd.docker.reference.type': 'attestation-manifest',
        },
        platform: { architecture: 'unknown', os: 'unknown' },
      },
    ],
  };
  const descriptor = writeBlob(dir, ociIndex, goJson(index, 2));
  const named = { ...descriptor, annotations: { 'org.opencontainers.image.ref.name': 'image' } };
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [named] }));
  return descriptor;
}
