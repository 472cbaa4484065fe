import type { OciErrorCode } from '../errors.js';

/**
 * What registry families differ in, as data: one profile per family, matched by host (or, for self-hosted families,
 * by the token challenge they answer with), asked by the client instead of testing host names anywhere else. The
 * model is regclient's config/host.go. Each fact cites where it was read; __tests__/unit/oci/registries/profiles.test.ts
 * pins the rows to those sources. Adding a registry's quirk touches this module and its test only.
 */
export type RegistryFamily =
  'docker-hub' | 'ghcr' | 'ecr' | 'gar' | 'acr' | 'quay' | 'harbor' | 'gitlab' | 'distribution';

/** A row of registry-specific advice: the first row whose code (and method, registry error code) match applies. */
export interface RegistryAdvice {
  readonly code: OciErrorCode;
  readonly method?: 'write' | 'read';
  /** One of the registry's own error codes (distribution-spec error envelope) the row is about. */
  readonly registryCode?: string;
  readonly fix: string;
}

/** How a registry answers a tag PUT that its tag-immutability rule refuses. */
export interface ImmutableTagRefusal {
  readonly status: number;
  readonly registryCode: string;
}

export interface RegistryProfile {
  readonly family: RegistryFamily;
  /** How messages name the family: `Amazon ECR`. */
  readonly title: string;
  /** Hosts of the family; unset for families recognised by their challenge only. */
  readonly hosts?: RegExp;
  /** A self-hosted family's token challenge (realm path and service), seen on the first 401. */
  readonly challenge?: { readonly realmPath?: RegExp; readonly service?: RegExp };
  /** The largest manifest or index a PUT may carry. */
  readonly maxManifestBytes: number;
  /** Tags the registry accepts. */
  readonly tagPattern: RegExp;
  /** `api`: GET /v2/<name>/referrers/<digest>; `tag-schema`: the `sha256-<hex>` index tag (image-spec 1.1). */
  readonly referrers: 'api' | 'tag-schema';
  /** What a cross-repository mount the registry will not do answers: an upload session (202) or a 401. */
  readonly refusedMount: 'upload-session' | 'unauthorized';
  /** How a tag PUT refused by tag immutability is answered, where the family has immutable tags. */
  readonly immutableTag?: ImmutableTagRefusal;
  /** How long a 404 right after a write is waited out: the family shows fresh content late. */
  readonly consistencyWaitMs: number;
  /** Headers of a 429 that state the limit (Docker Hub: `ratelimit-limit: 100;w=21600`); shown to the user. */
  readonly rateLimitHeaders: readonly string[];
  /** Whether media types may carry parameters (`application/x+json;version=0.2`) in a manifest the registry takes. */
  readonly mediaTypeParameters: 'accepted' | 'refused';
  /** Which children a Docker manifest list may have: any, or Docker schema 2/1 manifests with os and architecture. */
  readonly dockerListChildren: 'any' | 'docker-with-platform';
  /** Whether a manifest's `subject` must already be a manifest of the repository when the manifest is written. */
  readonly subjectMustExist: boolean;
  /** Whether a push creates a repository that does not exist. */
  readonly createsRepositories: boolean;
  readonly advice: readonly RegistryAdvice[];
  /** Where the facts of this row were read. */
  readonly sources: readonly string[];
}

const mebibytes = (count: number): number => count * 1024 * 1024;

// distribution/reference regexp.go `tag`: [\w][\w.-]{0,127}; Quay (util/names.py) and the others take the same.
const referenceTag = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

// The IETF RateLimit header fields, which Docker Hub sends on manifest GET and HEAD, and Retry-After.
const standardRateLimitHeaders = ['ratelimit-limit', 'ratelimit-remaining', 'retry-after'];

/** CNCF distribution: what every profile starts from, and the profile of any registry not recognised. */
export const distribution: RegistryProfile = {
  family: 'distribution',
  title: 'CNCF distribution',
  // registry/handlers/manifests.go maxManifestBodySize = 4 << 20; larger is refused 400 MANIFEST_INVALID.
  maxManifestBytes: mebibytes(4),
  tagPattern: referenceTag,
  // No referrers handler in 2.8 or 3.x: 404, so clients keep the tag-schema fallback.
  referrers: 'tag-schema',
  // registry/handlers/blobupload.go: a mount it cannot do opens an upload (202); app.go: 401 without pull on `from`.
  refusedMount: 'upload-session',
  // A filesystem registry reads a blob link empty while a concurrent push of that blob rewrites it.
  consistencyWaitMs: 5_000,
  rateLimitHeaders: standardRateLimitHeaders,
  // manifests.go strips Content-Type parameters with mime.ParseMediaType; descriptors are not checked.
  mediaTypeParameters: 'accepted',
  dockerListChildren: 'any',
  // manifest/ocischema/manifest.go References(): config and layers only; the subject is not checked.
  subjectMustExist: false,
  createsRepositories: true,
  advice: [],
  sources: [
    'distribution/distribution registry/handlers/manifests.go (maxManifestBodySize)',
    'distribution/distribution registry/handlers/blobupload.go (mount)',
    'distribution/distribution manifest/ocischema/manifest.go (References)',
    'distribution/reference regexp.go (tag)',
  ],
};

/** The families a registry is recognised as; any other is plain distribution. */
export const families: readonly RegistryProfile[] = [
  {
    ...distribution,
    family: 'docker-hub',
    title: 'Docker Hub',
    hosts: /^(docker\.io|index\.docker\.io|registry-1\.docker\.io)$/,
    rateLimitHeaders: [...standardRateLimitHeaders, 'docker-ratelimit-source'],
    advice: [
      {
        code: 'TOO_MANY_REQUESTS',
        fix: 'Docker Hub limits requests of anonymous and free accounts (the limits and window are above): log in to docker.io in this job (docker/login-action) with an account whose limit is higher, or retry after the window.',
      },
    ],
    sources: [
      'docker/docs content/manuals/docker-hub/usage/pulls.md (limits, ratelimit-* headers on GET and HEAD; HEAD is not a pull)',
      'docker/roadmap#724 (referrers API requested)',
    ],
  },
  {
    ...distribution,
    family: 'ghcr',
    title: 'GitHub Container Registry',
    hosts: /^ghcr\.io$/,
    advice: [
      {
        code: 'DENIED',
        method: 'write',
        fix: 'Give the job `permissions: packages: write` and log in to ghcr.io (docker/login-action with GITHUB_TOKEN), and make sure the package grants this repository write access.',
      },
    ],
    sources: [
      'awslabs/soci-snapshotter docs/registry.md (GitHub Packages: referrers fallback)',
      'github.com/orgs/community/discussions/208530 (no referrers API)',
    ],
  },
  {
    ...distribution,
    family: 'ecr',
    title: 'Amazon ECR',
    hosts: /^(\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?|public\.ecr\.aws)$/,
    referrers: 'api',
    immutableTag: { status: 400, registryCode: 'TAG_INVALID' },
    // Refused in artifactType and layer mediaType; such manifests are answered 405 UNSUPPORTED "Invalid parameter
    // at 'ImageManifest'" by ECR's manifest validator.
    mediaTypeParameters: 'refused',
    createsRepositories: false,
    advice: [
      {
        code: 'DENIED',
        method: 'write',
        fix: 'Check that the ECR repository exists and that the role has ecr:PutImage, ecr:InitiateLayerUpload, ecr:UploadLayerPart, ecr:CompleteLayerUpload and ecr:BatchCheckLayerAvailability.',
      },
      {
        code: 'NOT_FOUND',
        method: 'write',
        registryCode: 'NAME_UNKNOWN',
        fix: 'Create the ECR repository first (aws ecr create-repository, or in your infrastructure code): ECR does not create repositories on push.',
      },
      {
        code: 'REJECTED',
        registryCode: 'TAG_INVALID',
        fix: 'The repository has immutable tags and this tag already holds another image: publish under a new tag, or make the repository’s tags mutable for moving tags such as latest.',
      },
      {
        code: 'REJECTED',
        method: 'write',
        registryCode: 'UNSUPPORTED',
        fix: 'ECR’s manifest check refused it (405 is its answer to a manifest it cannot read, not a wrong method): publish with `attestations: drop`, or build with BUILDX_NO_DEFAULT_OCI_ARTIFACT=true so that BuildKit writes attestations ECR takes.',
      },
    ],
    sources: [
      'aws/containers-roadmap#2306 (media-type parameters in artifactType and layer mediaType)',
      'moby/buildkit#5747, aws/containers-roadmap#2783 (405 UNSUPPORTED on OCI-artifact manifests)',
      'moby/buildkit#3776, aws/containers-roadmap#2380 (immutable tag: 400 TAG_INVALID)',
      'docs.aws.amazon.com AmazonECR userguide images (OCI 1.1 referrers API)',
      'regclient/regclient#869 (NAME_UNKNOWN: no create on push)',
    ],
  },
  {
    ...distribution,
    family: 'gar',
    title: 'Google Artifact Registry',
    hosts: /^([a-z0-9-]+-docker\.pkg\.dev|([a-z]+\.)?gcr\.io)$/,
    sources: [
      'cloud.google.com artifact-registry/docs/transition/setup-gcr-repo (gcr.io served by Artifact Registry)',
      'awslabs/soci-snapshotter docs/registry.md (referrers endpoint redirects to a sign-in page: use the fallback)',
    ],
  },
  {
    ...distribution,
    family: 'acr',
    title: 'Azure Container Registry',
    hosts: /^[a-z0-9]{5,50}\.azurecr\.(io|cn|us)$/,
    referrers: 'api',
    sources: [
      'learn.microsoft.com container-registry-oras-artifacts (OCI 1.1 referrers)',
      'Azure/azure-sdk-for-js#25769 (4 MB manifests)',
    ],
  },
  {
    ...distribution,
    family: 'quay',
    title: 'Quay',
    hosts: /^quay\.io$/,
    referrers: 'api',
    immutableTag: { status: 409, registryCode: 'TAG_IMMUTABLE' },
    dockerListChildren: 'docker-with-platform',
    sources: [
      'quay/quay image/docker/schema2/list.py (list children: Docker schema 2/1 with platform os and architecture)',
      'quay/quay endpoints/v2/referrers.py (referrers API, FEATURE_REFERRERS_API)',
      'quay/quay endpoints/v2/errors.py (TAG_IMMUTABLE, 409)',
      'quay/quay util/names.py (tags of at most 128 characters)',
    ],
  },
  {
    ...distribution,
    family: 'harbor',
    title: 'Harbor',
    challenge: { realmPath: /\/service\/token$/, service: /^harbor-registry$/ },
    referrers: 'api',
    refusedMount: 'unauthorized',
    immutableTag: { status: 412, registryCode: 'PRECONDITION' },
    advice: [
      {
        code: 'REJECTED',
        method: 'write',
        registryCode: 'PRECONDITION',
        fix: 'A Harbor tag immutability rule covers this tag and it holds another image: publish under a new tag, or exclude the tag from the project’s immutability rules.',
      },
    ],
    sources: [
      'goharbor/harbor#17097 (401 to a mount from a repository it does not have)',
      'goharbor/harbor src/server/middleware/v2auth/auth.go, src/core/service/token/creator.go (realm /service/token, service harbor-registry)',
      'goharbor/harbor src/server/middleware/immutable/pushmf.go (412 PRECONDITION)',
      'goharbor/harbor src/server/registry/route.go (referrers API since v2.8.0)',
    ],
  },
  {
    ...distribution,
    family: 'gitlab',
    title: 'GitLab container registry',
    hosts: /^registry\.gitlab\.com$/,
    challenge: { realmPath: /\/jwt\/auth$/, service: /^container_registry$/ },
    refusedMount: 'unauthorized',
    subjectMustExist: true,
    advice: [
      {
        code: 'NOT_FOUND',
        method: 'write',
        registryCode: 'MANIFEST_BLOB_UNKNOWN',
        fix: 'GitLab refuses a manifest whose subject or blobs it does not hold yet; this step writes every one of them first, so GitLab has not caught up with its own writes: re-run the job.',
      },
    ],
    sources: [
      'gitlab-org/container-registry registry/handlers/manifests.go (subject looked up in the repository; 400 MANIFEST_BLOB_UNKNOWN, detail the digest)',
      'moby/buildkit#7007 (subject refused when new)',
      'gitlab-org/container-registry#1205 (no referrers API)',
      'estesp/manifest-tool#53 (401 to a mount)',
    ],
  },
];
