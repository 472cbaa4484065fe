import { UserError } from '../../../src/errors.js';
import { collectChildren } from '../../../src/publish/children.js';
import { formatPlan, planMerge, type PlanInputs } from '../../../src/publish/plan.js';
import { sha256Digest } from '../../../src/oci/digest.js';
import { MediaType } from '../../../src/oci/mediatype.js';
import { parseRepository, type Repository } from '../../../src/oci/reference.js';
import { buildxRecord, ghcr, hub, imageRecord, noAnnotations, userErrorFrom } from '../../fixtures/merge/records.js';
import type { ResolvedRecord, Child } from '../../../src/publish/types.js';
import type { TagTarget } from '../../../src/inputs.js';

const amd64 = buildxRecord('amd64', 'records/amd64.json');
const arm64 = buildxRecord('arm64', 'records/arm64.json');
const s390x = imageRecord('records/s390x.json', 'linux/s390x');

const ghcrRepository = parseRepository(ghcr);
const hubRepository = parseRepository(hub);

function childrenOf(records: readonly ResolvedRecord[]): Child[] {
  return collectChildren(records, { overrides: [], annotations: noAnnotations });
}

function inputs(fields: Partial<PlanInputs> = {}): PlanInputs {
  return { images: [ghcrRepository], tags: [{ tag: 'latest' }], annotations: noAnnotations, ...fields };
}

function tag(text: string): TagTarget {
  const colon = text.lastIndexOf(':');
  if (colon === -1 || text.lastIndexOf('/') > colon) return { tag: text };
  return { tag: text.slice(colon + 1), repository: parseRepository(text.slice(0, colon)) };
}

describe('planMerge: the index', () => {
  const plan = planMerge(inputs(), childrenOf([arm64, s390x, amd64]));
  const [amd64Image, amd64Attestation] = amd64.index?.manifests ?? [];
  const [arm64Image, arm64Attestation] = arm64.index?.manifests ?? [];

  test('lists the images by platform, then each attestation in the order of its image', () => {
    expect(plan.index.index.manifests.map((entry) => entry.digest)).toEqual([
      amd64Image?.digest,
      arm64Image?.digest,
      s390x.sourced.record.digest,
      amd64Attestation?.digest,
      arm64Attestation?.digest,
    ]);
  });

  test('returns the children in the order of the index', () => {
    expect(plan.children.map((child) => child.descriptor.digest)).toEqual(
      plan.index.index.manifests.map((entry) => entry.digest),
    );
  });

  test('keeps the attestation entries as the build pushed them', () => {
    expect(plan.index.index.manifests.slice(3)).toEqual([amd64Attestation, arm64Attestation]);
  });

  test('names the index by the digest and size of its bytes', () => {
    expect(plan.index.descriptor).toEqual({
      mediaType: MediaType.ociIndex,
      digest: sha256Digest(plan.index.bytes),
      size: plan.index.bytes.length,
    });
  });

  // Worked out apart from the code, from the two fixture files and the encoding the index-building tests fix; the
  // arm64 entry keeps the v8 its pushed index states.
  test.each<[string, readonly ResolvedRecord[]]>([
    ['amd64, arm64', [amd64, arm64]],
    ['arm64, amd64', [arm64, amd64]],
    ['arm64, amd64, arm64 again from a re-run', [arm64, amd64, buildxRecord('arm64', 'records/rerun/arm64.json')]],
  ])('gives the same index digest for the records in the order %s', (_name, records) => {
    expect(planMerge(inputs(), childrenOf(records)).index.descriptor.digest).toBe(
      'sha256:105ac9de75cb9d2725bd382b5616d0e8195e61f940514f70318f0b3387c4451e',
    );
  });

  test.each<[string, readonly ResolvedRecord[], Readonly<Record<string, string>>, string]>([
    ['OCI images', [amd64], {}, MediaType.ociIndex],
    [
      'Docker images',
      [imageRecord('a.json', 'linux/amd64', { mediaType: MediaType.dockerManifest })],
      {},
      MediaType.dockerManifestList,
    ],
    [
      'Docker images with index annotations',
      [imageRecord('a.json', 'linux/amd64', { mediaType: MediaType.dockerManifest })],
      { 'org.opencontainers.image.source': 'https://github.com/o/app' },
      MediaType.ociIndex,
    ],
  ])('chooses the media type for %s', (_name, records, index, mediaType) => {
    const planned = planMerge(inputs({ annotations: { index, descriptors: [] } }), childrenOf(records));
    expect(planned.index.descriptor.mediaType).toBe(mediaType);
    expect(planned.index.index.annotations).toEqual(Object.keys(index).length > 0 ? index : undefined);
  });

  test('puts the index annotations in the index, keys sorted', () => {
    const annotations = {
      index: { 'org.opencontainers.image.version': '1.2.3', 'org.example.a': 'a' },
      descriptors: [],
    };
    const planned = planMerge(inputs({ annotations }), childrenOf([amd64]));
    expect(Object.keys(planned.index.index.annotations ?? {})).toEqual([
      'org.example.a',
      'org.opencontainers.image.version',
    ]);
  });

  test('treats the same child given twice as a bug', () => {
    const [child] = childrenOf([s390x]);
    const work = () => planMerge(inputs(), [child!, child!]);
    expect(work).toThrow('given twice');
    expect(work).not.toThrow(UserError);
  });
});

describe('planMerge: targets and tags', () => {
  const children = childrenOf([amd64]);
  test.each<[string, readonly Repository[], readonly string[], readonly [string, readonly string[]][]]>([
    [
      'plain tags go to every image, images in input order',
      [hubRepository, ghcrRepository],
      ['1.2.3', 'latest'],
      [
        [hub, ['1.2.3', 'latest']],
        [ghcr, ['1.2.3', 'latest']],
      ],
    ],
    [
      'a full reference goes to its own image only',
      [ghcrRepository, hubRepository],
      ['latest', 'ghcr.io/o/app:edge', 'docker.io/o/app:stable'],
      [
        [ghcr, ['latest', 'edge']],
        [hub, ['latest', 'stable']],
      ],
    ],
    [
      "docker/metadata-action's full references, Docker Hub written without its registry",
      [ghcrRepository, hubRepository],
      ['o/app:1.2.3', 'ghcr.io/o/app:1.2.3', 'index.docker.io/o/app:latest', 'ghcr.io/o/app:latest'],
      [
        [ghcr, ['1.2.3', 'latest']],
        [hub, ['1.2.3', 'latest']],
      ],
    ],
    [
      'a tag given plain and as a full reference is written once, where it first appears',
      [ghcrRepository],
      ['ghcr.io/o/app:1', 'latest', '1'],
      [[ghcr, ['1', 'latest']]],
    ],
  ])('%s', (_name, images, tags, expected) => {
    const plan = planMerge(inputs({ images, tags: tags.map(tag) }), children);
    expect(plan.targets.map((target) => [target.reference, target.tags])).toEqual(expected);
    expect(plan.targets.map((target) => target.repository)).toEqual(images);
  });

  test('refuses an image that no tag is for', () => {
    const error = userErrorFrom(() =>
      planMerge(inputs({ images: [ghcrRepository, hubRepository], tags: [tag('ghcr.io/o/app:1')] }), children),
    );
    expect(error.subject).toBe('tags');
    expect(error.problem).toContain(`"${hub}"`);
    expect(error.fix).toContain(`"${hub}:latest"`);
  });
});

describe('formatPlan', () => {
  test('shows the index, then per image its children and tags', () => {
    const plan = planMerge(
      inputs({ images: [ghcrRepository, hubRepository], tags: [tag('latest'), tag('ghcr.io/o/app:edge')] }),
      childrenOf([amd64, s390x]),
    );
    const [amd64Image, amd64Attestation] = amd64.index?.manifests ?? [];
    const children = [
      `  linux/amd64  ${amd64Image?.digest}`,
      `  linux/s390x  ${s390x.sourced.record.digest}`,
      `  attestation  ${amd64Attestation?.digest} (of ${amd64Image?.digest})`,
    ];
    expect(formatPlan(plan)).toBe(
      [
        `index ${plan.index.descriptor.digest} (${MediaType.ociIndex}, ${plan.index.descriptor.size} bytes)`,
        ghcr,
        ...children,
        '  tags: latest, edge',
        hub,
        ...children,
        '  tags: latest',
      ].join('\n'),
    );
  });

  test('reads the same for the same records in another order', () => {
    const plan = (records: readonly ResolvedRecord[]) => formatPlan(planMerge(inputs(), childrenOf(records)));
    expect(plan([s390x, arm64, amd64])).toBe(plan([amd64, s390x, arm64]));
  });
});
