/** Media types from the OCI image spec and Docker's image manifest v2 schema 2. */
export const MediaType = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
} as const;

/** Every manifest type we read, in the Accept header of every manifest GET/HEAD: a registry hides an OCI object from
 * a client that does not list its type (distribution answers 404 MANIFEST_UNKNOWN), so all four, always, no q=. */
export const manifestAccept = [
  MediaType.ociIndex,
  MediaType.ociManifest,
  MediaType.dockerManifestList,
  MediaType.dockerManifest,
].join(', ');

export function isIndex(mediaType: string): boolean {
  return mediaType === MediaType.ociIndex || mediaType === MediaType.dockerManifestList;
}

export function isImageManifest(mediaType: string): boolean {
  return mediaType === MediaType.ociManifest || mediaType === MediaType.dockerManifest;
}

export function isDockerType(mediaType: string): boolean {
  return mediaType.startsWith('application/vnd.docker.');
}

/** BuildKit stores provenance and SBOM attestations as image manifests annotated this way, platform unknown/unknown. */
export const attestationAnnotation = {
  type: 'vnd.docker.reference.type',
  digest: 'vnd.docker.reference.digest',
  attestationManifest: 'attestation-manifest',
} as const;

export function isAttestation(descriptor: { readonly annotations?: Readonly<Record<string, string>> }): boolean {
  return descriptor.annotations?.[attestationAnnotation.type] === attestationAnnotation.attestationManifest;
}
