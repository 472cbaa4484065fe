import { startFaultProxy, type Fault, type FaultProxy, type FaultRequest } from './fault-proxy.js';
import type { TestRegistry } from './registry.js';

/**
 * A registry with the OCI 1.1 referrers API, which CNCF distribution 2.8 lacks: a proxy in front of a real one that
 * adds what the API adds (distribution-spec "Pushing Manifests with Subject", "Listing Referrers"). A manifest PUT by
 * digest is passed on to the registry, and when the manifest has a `subject` the answer carries `OCI-Subject` and the
 * manifest is listed; `GET /v2/<name>/referrers/<digest>` answers that list as an index. Everything else is the
 * registry's own answer.
 */
export interface ReferrersRegistry {
  readonly proxy: FaultProxy;
  /** The referrers API requests answered, by subject digest. */
  listingsServed(): readonly string[];
  stop(): Promise<void>;
}

interface Listed {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly artifactType?: string;
  readonly annotations?: Record<string, string>;
}

const referrersPath = /^\/v2\/(.+)\/referrers\/(sha256:[0-9a-f]{64})$/;
const manifestByDigest = /^\/v2\/(.+)\/manifests\/(sha256:[0-9a-f]{64})$/;

export async function startReferrersRegistry(registry: TestRegistry): Promise<ReferrersRegistry> {
  const listings = new Map<string, Listed[]>();
  const served: string[] = [];
  const rule = async (request: FaultRequest): Promise<Fault | undefined> => {
    const listing = referrersPath.exec(request.url);
    if (request.method === 'GET' && listing) {
      served.push(listing[2] ?? '');
      const manifests = listings.get(`${listing[1]}@${listing[2]}`) ?? [];
      const body = JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests,
      });
      return { status: 200, headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' }, body };
    }
    const put = manifestByDigest.exec(request.url);
    if (request.method !== 'PUT' || !put) return undefined;
    const bytes = await request.body();
    const manifest = JSON.parse(bytes.toString('utf8')) as {
      mediaType?: string;
      artifactType?: string;
      subject?: { digest: string };
      annotations?: Record<string, string>;
    };
    if (manifest.subject === undefined) return undefined;
    const answer = await fetch(`http://${registry.host}${request.url}`, {
      method: 'PUT',
      headers: forwarded(request),
      body: bytes,
    });
    if (answer.status !== 201) return { status: answer.status, body: await answer.text() };
    const key = `${put[1]}@${manifest.subject.digest}`;
    const entry: Listed = {
      mediaType: manifest.mediaType ?? 'application/vnd.oci.image.manifest.v1+json',
      digest: put[2] ?? '',
      size: bytes.length,
      ...(manifest.artifactType ? { artifactType: manifest.artifactType } : {}),
      ...(manifest.annotations ? { annotations: manifest.annotations } : {}),
    };
    listings.set(key, [...(listings.get(key) ?? []).filter((each) => each.digest !== entry.digest), entry]);
    return {
      status: 201,
      headers: { 'docker-content-digest': entry.digest, 'oci-subject': manifest.subject.digest },
      body: '',
    };
  };
  const proxy = await startFaultProxy({ target: registry.host, faults: rule });
  return { proxy, listingsServed: () => [...served], stop: () => proxy.stop() };
}

function forwarded(request: FaultRequest): Record<string, string> {
  const names = ['authorization', 'content-type'];
  return Object.fromEntries(
    names.flatMap((name) => {
      const value = request.headers[name];
      return typeof value === 'string' ? [[name, value]] : [];
    }),
  );
}
