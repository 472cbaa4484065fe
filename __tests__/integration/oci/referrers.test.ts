import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parseImageManifest, type Descriptor } from '../../../src/oci/descriptor.js';
import { isOciError } from '../../../src/oci/errors.js';
import { silentLogger } from '../../../src/oci/logger.js';
import { putManifest } from '../../../src/oci/manifests.js';
import { parseRepository } from '../../../src/oci/reference.js';
import { fallbackTag, listReferrers, pushReferrers, type Artifact } from '../../../src/oci/referrers.js';
import { openRegistrySession, type RegistrySession } from '../../../src/oci/client.js';
import { buildImage, pushLayout, removeImages } from '../../support/images.js';
import type { OciLayout } from '../../support/layout.js';
import { startRegistry, type TestRegistry } from '../../support/registry.js';
import { startReferrersRegistry, type ReferrersRegistry } from '../../support/referrers-registry.js';
import { inspectRaw, listTags, readArtifactLayers } from '../../support/skopeo.js';

/**
 * Referrers against CNCF distribution 2.8, which has no referrers API: every artifact is listed in the tag schema's
 * `sha256-<hex>` index, read back with skopeo, whatever family the registry is taken for.
 */
let registry: TestRegistry;
let image: OciLayout;
let session: RegistrySession;
const repositoryName = () => `${registry.host}/referrers/app`;

const artifact = (text: string): Artifact => ({
  artifactType: 'application/vnd.example.note+json',
  layer: { mediaType: 'application/vnd.example.note+json', bytes: Buffer.from(JSON.stringify({ text })) },
  annotations: { 'org.example.note': text },
});

beforeAll(async () => {
  registry = await startRegistry({ auth: 'token' });
  image = await buildImage('linux/amd64');
  await pushLayout(image, { registry, repository: 'referrers/app' });
});

afterAll(async () => {
  await session?.close();
  await registry.stop();
  await removeImages();
});

function repository(family?: 'ecr') {
  session = openRegistrySession({
    env: { DOCKER_CONFIG: registry.dockerConfig() },
    logger: silentLogger,
    ...(family ? { families: { [registry.host]: family } } : {}),
  });
  return session.clients.repository(parseRepository(repositoryName()));
}

async function listedInTag(subject: Descriptor): Promise<{ digest: string; artifactType?: string }[]> {
  const { json } = await inspectRaw(`${repositoryName()}:${fallbackTag(subject.digest)}`, { user: registry.reader });
  expect(json.mediaType).toBe('application/vnd.oci.image.index.v1+json');
  return json.manifests;
}

describe('pushReferrers on a registry without the referrers API', () => {
  test('attaches the artifact to its subject, listed in the fallback tag, its layer readable with skopeo', async () => {
    const remote = repository();
    const [pushed] = await pushReferrers(remote, artifact('first'), [image.descriptor]);
    expect(pushed?.listing).toBe('tag-schema');
    const listed = await listedInTag(image.descriptor);
    expect(listed).toEqual([pushed?.descriptor]);
    const reference = `${repositoryName()}@${pushed?.descriptor.digest}`;
    const { bytes } = await inspectRaw(reference, { user: registry.reader });
    expect(parseImageManifest(bytes, reference).subject?.digest).toBe(image.descriptor.digest);
    const layers = await readArtifactLayers(reference, { user: registry.reader });
    expect(layers.map((layer) => JSON.parse(layer.toString('utf8')))).toEqual([{ text: 'first' }]);
    expect(await listReferrers(remote, image.descriptor.digest, 'tag-schema')).toEqual(listed);
  });

  test('adds a second artifact beside the first, and the same one again not at all', async () => {
    const remote = repository();
    const [second] = await pushReferrers(remote, artifact('second'), [image.descriptor]);
    expect((await listedInTag(image.descriptor)).map((entry) => entry.digest)).toHaveLength(2);
    await registry.settle();
    registry.reset();
    await pushReferrers(remote, artifact('second'), [image.descriptor]);
    await registry.settle();
    const tagWrites = registry.writes().filter((entry) => entry.path.includes(fallbackTag(image.descriptor.digest)));
    expect(tagWrites).toEqual([]);
    expect((await listedInTag(image.descriptor)).at(-1)?.digest).toBe(second?.descriptor.digest);
  });

  test('lists in the tag as well for a family with the API when the registry does not confirm with OCI-Subject', async () => {
    const remote = repository('ecr');
    const [pushed] = await pushReferrers(remote, artifact('api family'), [image.descriptor]);
    expect(pushed?.listing).toBe('tag-schema');
    expect((await listedInTag(image.descriptor)).map((entry) => entry.digest)).toContain(pushed?.descriptor.digest);
    // Reading the API of a registry that has none (404) falls back to the tag, as the spec tells clients.
    const listed = await listReferrers(remote, image.descriptor.digest, 'api');
    expect(listed.map((entry) => entry.digest)).toContain(pushed?.descriptor.digest);
  });

  test('refuses to add to a fallback tag that holds something other than an index', async () => {
    const remote = repository();
    const other = { descriptor: image.descriptor, bytes: await layoutManifestBytes() };
    const subject = { ...image.descriptor, digest: `sha256:${'0'.repeat(63)}1` };
    await putManifest(remote, fallbackTag(subject.digest), other);
    const error = await pushReferrers(remote, artifact('refused'), [subject]).catch((thrown: unknown) => thrown);
    expect(isOciError(error, 'REJECTED')).toBe(true);
    expect(String((error as Error).message)).toContain('not the index of referrers');
  });
});

async function layoutManifestBytes(): Promise<Buffer> {
  const { bytes } = await inspectRaw(`${repositoryName()}@${image.descriptor.digest}`, { user: registry.reader });
  return bytes;
}

describe('pushReferrers on a registry with the referrers API', () => {
  let open: TestRegistry;
  let api: ReferrersRegistry;
  let apiSession: RegistrySession;

  beforeAll(async () => {
    open = await startRegistry({ auth: 'none' });
    api = await startReferrersRegistry(open);
    await pushLayout(image, { registry: open, repository: 'referrers/app' });
  });

  afterAll(async () => {
    await apiSession?.close();
    await api.stop();
    await open.stop();
  });

  function remoteAs(family?: 'ecr') {
    apiSession = openRegistrySession({
      env: {},
      logger: silentLogger,
      ...(family ? { families: { [api.proxy.host]: family } } : {}),
    });
    return apiSession.clients.repository(parseRepository(`${api.proxy.host}/referrers/app`));
  }

  test('leaves the listing to the API when the family has one and the registry confirms with OCI-Subject', async () => {
    const remote = remoteAs('ecr');
    const [pushed] = await pushReferrers(remote, artifact('by the API'), [image.descriptor]);
    expect(pushed?.listing).toBe('api');
    expect(await listTags(`${open.host}/referrers/app`)).not.toContain(fallbackTag(image.descriptor.digest));
    const listed = await listReferrers(remote, image.descriptor.digest, 'api');
    expect(listed).toEqual([pushed?.descriptor]);
    expect(api.listingsServed()).toEqual([image.descriptor.digest]);
  });

  test('writes the fallback tag where the profile knows no API, whatever the registry answers', async () => {
    const remote = remoteAs();
    const [pushed] = await pushReferrers(remote, artifact('by the tag'), [image.descriptor]);
    expect(pushed?.listing).toBe('tag-schema');
    const { json } = await inspectRaw(`${open.host}/referrers/app:${fallbackTag(image.descriptor.digest)}`);
    expect(json.manifests).toEqual([pushed?.descriptor]);
  });
});
