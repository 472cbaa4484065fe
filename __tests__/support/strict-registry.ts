import { setTimeout as sleep } from 'node:timers/promises';
import { startFaultProxy, type Fault, type FaultProxy, type FaultRequest } from './fault-proxy.js';

/**
 * A registry stricter than CNCF distribution: a proxy in front of a real one that refuses what registries of other
 * families refuse, each rule as its source documents it and switchable on its own. Where a rule depends on what the
 * registry holds (a manifest's subject), the proxy asks the registry itself. Refusals are logged, so a test can
 * assert that a client met every rule without being refused once.
 */
export type StrictRule =
  | 'subject-exists'
  | 'media-type-parameters'
  | 'docker-list-children'
  | 'exact-content-type'
  | 'mount-unauthorized'
  | 'manifest-size'
  | 'immutable-tags';

interface RuleContext {
  readonly request: FaultRequest;
  readonly route: Route;
  /** Whether the registry behind the proxy holds `/v2/<name>/<kind>/<reference>`, asked with the client's credentials. */
  readonly holds: (kind: 'manifests' | 'blobs', reference: string) => Promise<boolean>;
}

/** A refusal: a status and the registry's error envelope. */
type Refusal = Exclude<Fault, { readonly reset: true }>;

type Rule = (context: RuleContext) => Promise<Refusal | undefined>;

const dockerList = 'application/vnd.docker.distribution.manifest.list.v2+json';
const dockerManifests = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.v1+json',
];

const refuse = (status: number, code: string, message: string, detail?: string): Refusal => ({
  status,
  errors: [{ code, message, ...(detail === undefined ? {} : { detail }) }],
});

interface ManifestFields {
  readonly mediaType?: string;
  readonly artifactType?: string;
  readonly config?: Descriptorish;
  readonly layers?: readonly Descriptorish[];
  readonly manifests?: readonly Descriptorish[];
  readonly subject?: Descriptorish;
}

interface Descriptorish {
  readonly mediaType?: string;
  readonly digest?: string;
  readonly artifactType?: string;
  readonly platform?: { readonly os?: string; readonly architecture?: string };
}

async function manifestOf(request: FaultRequest): Promise<ManifestFields> {
  try {
    return JSON.parse((await request.body()).toString('utf8')) as ManifestFields;
  } catch {
    return {};
  }
}

const rules: Readonly<Record<StrictRule, Rule>> = {
  // GitLab (gitlab-org/container-registry registry/handlers/manifests.go, dbPutManifestV2; moby/buildkit#7007): the
  // subject must already be a manifest of this repository, else 400 MANIFEST_BLOB_UNKNOWN with the digest as detail.
  'subject-exists': async ({ request, route, holds }) => {
    if (route.kind !== 'manifest-put') return undefined;
    const subject = (await manifestOf(request)).subject?.digest;
    if (subject === undefined || (await holds('manifests', subject))) return undefined;
    return refuse(400, 'MANIFEST_BLOB_UNKNOWN', 'blob unknown to registry', subject);
  },
  // Amazon ECR (aws/containers-roadmap#2306; moby/buildkit#5747, aws/containers-roadmap#2783): parameters in an
  // artifactType or a layer's media type fail ECR's manifest check, answered 405 UNSUPPORTED.
  'media-type-parameters': async ({ request, route }) => {
    if (route.kind !== 'manifest-put') return undefined;
    const manifest = await manifestOf(request);
    const types = [
      manifest.artifactType,
      manifest.config?.mediaType,
      ...(manifest.layers ?? []).map((layer) => layer.mediaType),
      ...(manifest.manifests ?? []).flatMap((child) => [child.mediaType, child.artifactType]),
    ];
    if (!types.some((type) => type?.includes(';'))) return undefined;
    return refuse(
      405,
      'UNSUPPORTED',
      "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'",
    );
  },
  // Quay (quay/quay image/docker/schema2/list.py METASCHEMA): a Docker manifest list holds only Docker schema 2 or 1
  // manifests, each with a platform giving os and architecture.
  'docker-list-children': async ({ request, route }) => {
    if (route.kind !== 'manifest-put' || request.headers['content-type'] !== dockerList) return undefined;
    const children = (await manifestOf(request)).manifests ?? [];
    const fits = (child: Descriptorish) =>
      dockerManifests.includes(child.mediaType ?? '') && !!child.platform?.os && !!child.platform?.architecture;
    if (children.every(fits)) return undefined;
    return refuse(
      400,
      'MANIFEST_INVALID',
      'manifest invalid',
      'manifest list entries must be Docker manifests with a platform',
    );
  },
  // Quay (endpoints/v2/manifest.py): the Content-Type is compared as sent, so one with parameters is refused 415.
  'exact-content-type': async ({ request, route }) => {
    if (route.kind !== 'manifest-put' || !(request.headers['content-type'] ?? '').includes(';')) return undefined;
    return refuse(415, 'MANIFEST_INVALID', 'manifest schema version not supported');
  },
  // Harbor (goharbor/harbor#17097; src/server/middleware/v2auth/access.go): a cross-repository mount whose source
  // the credential may not pull, or whose project it does not have, is answered 401, not with an upload session.
  'mount-unauthorized': async ({ route }) => {
    if (route.kind !== 'mount') return undefined;
    return refuse(401, 'UNAUTHORIZED', `unauthorized to access repository: ${route.from}, action: pull`);
  },
  // The distribution spec: a registry MAY limit manifests and SHOULD answer 413 beyond its limit; 4 MiB is the
  // limit of distribution (registry/handlers/manifests.go maxManifestBodySize) and GitLab.
  'manifest-size': async ({ request, route }) => {
    if (route.kind !== 'manifest-put' || (await request.body()).length <= 4 * 1024 * 1024) return undefined;
    return refuse(413, 'SIZE_INVALID', 'manifest payload too large');
  },
  // Amazon ECR tag immutability (moby/buildkit#3776): a tag that exists is not written again, even with the same
  // manifest: 400 TAG_INVALID.
  'immutable-tags': async ({ route, holds }) => {
    if (
      route.kind !== 'manifest-put' ||
      route.reference.includes(':') ||
      !(await holds('manifests', route.reference))
    ) {
      return undefined;
    }
    return refuse(
      400,
      'TAG_INVALID',
      `The image tag '${route.reference}' already exists in the '${route.name}' repository and cannot be overwritten because the tag is immutable.`,
    );
  },
};

export const everyStrictRule = Object.keys(rules) as StrictRule[];

type Route =
  | { readonly kind: 'manifest-put'; readonly name: string; readonly reference: string }
  | { readonly kind: 'mount'; readonly name: string; readonly from: string }
  | { readonly kind: 'blob-upload'; readonly digest: string }
  | { readonly kind: 'other' };

function routeOf(request: FaultRequest): Route {
  const url = new URL(request.url, 'http://proxy');
  const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
  if (request.method === 'PUT' && manifest) {
    return { kind: 'manifest-put', name: manifest[1] as string, reference: manifest[2] as string };
  }
  const uploads = /^\/v2\/(.+)\/blobs\/uploads\/?/.exec(url.pathname);
  const from = url.searchParams.get('from');
  if (request.method === 'POST' && uploads && url.searchParams.has('mount') && from !== null) {
    return { kind: 'mount', name: uploads[1] as string, from };
  }
  const digest = url.searchParams.get('digest');
  if (request.method === 'PUT' && uploads && digest !== null) return { kind: 'blob-upload', digest };
  return { kind: 'other' };
}

export interface StrictRefusal {
  readonly rule: StrictRule;
  readonly method: string;
  readonly url: string;
  readonly status: number;
}

export interface StrictRegistry {
  /** `127.0.0.1:PORT`, where image references put the registry's host. */
  readonly host: string;
  /** Every request a rule refused, in order. */
  refusals(): readonly StrictRefusal[];
  /** Blob uploads that were held back for `slowBlobDelayMs`. */
  slowedUploads(): number;
  reset(): void;
  stop(): Promise<void>;
}

export interface StrictRegistryOptions {
  /** `host:port` of the real registry behind the proxy. */
  readonly target: string;
  readonly rules: readonly StrictRule[];
  /** Blob uploads closing with one of these digests are held back this long: image layers that take seconds. */
  readonly slowBlobs?: { readonly digests: ReadonlySet<string>; readonly delayMs: number };
}

export async function startStrictRegistry(options: StrictRegistryOptions): Promise<StrictRegistry> {
  // A 401 carries the registry's own challenge, so a client keeps to the scheme it uses; an open registry has none.
  const challenge = (await fetch(`http://${options.target}/v2/`)).headers.get('www-authenticate') ?? undefined;
  const refusals: StrictRefusal[] = [];
  let slowed = 0;
  const holds = (request: FaultRequest) => async (kind: 'manifests' | 'blobs', reference: string) => {
    const name = /^\/v2\/(.+)\/(manifests|blobs)\//.exec(new URL(request.url, 'http://proxy').pathname)?.[1];
    const authorization = request.headers.authorization;
    const response = await fetch(`http://${options.target}/v2/${name}/${kind}/${reference}`, {
      method: 'HEAD',
      headers: {
        accept: [
          'application/vnd.oci.image.index.v1+json',
          'application/vnd.oci.image.manifest.v1+json',
          dockerList,
          ...dockerManifests,
        ].join(', '),
        ...(authorization ? { authorization } : {}),
      },
    });
    return response.status === 200;
  };
  const proxy: FaultProxy = await startFaultProxy({
    target: options.target,
    faults: async (request) => {
      const route = routeOf(request);
      for (const rule of options.rules) {
        const fault = await rules[rule]({ request, route, holds: holds(request) });
        if (fault === undefined) continue;
        refusals.push({ rule, method: request.method, url: request.url, status: fault.status });
        return fault.status === 401 && challenge ? { ...fault, headers: { 'www-authenticate': challenge } } : fault;
      }
      if (route.kind === 'blob-upload' && options.slowBlobs?.digests.has(route.digest)) {
        slowed++;
        await sleep(options.slowBlobs.delayMs);
      }
      return undefined;
    },
  });
  return {
    host: proxy.host,
    refusals: () => [...refusals],
    slowedUploads: () => slowed,
    reset: () => {
      refusals.length = 0;
      slowed = 0;
    },
    stop: () => proxy.stop(),
  };
}
