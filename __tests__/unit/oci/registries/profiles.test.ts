import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RegistryFamily, type RegistryProfile } from '../../../../src/oci/registries/profiles.js';
import { allProfiles } from '../../../../src/oci/registries/lookup.js';

const srcOci = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../src/oci');
const profile = (name: RegistryFamily): RegistryProfile => {
  const found = allProfiles().find((each) => each.family === name);
  if (found === undefined) throw new Error(`no profile ${name}`);
  return found;
};

describe('each profile states what its sources say', () => {
  // Each row: the family, a fact of its profile, and the source it was read from, which the profile must cite.
  test.each<[RegistryFamily, Partial<RegistryProfile>, string]>([
    ['distribution', { maxManifestBytes: 4 * 1024 * 1024 }, 'registry/handlers/manifests.go'],
    ['distribution', { referrers: 'tag-schema', subjectMustExist: false }, 'manifest/ocischema/manifest.go'],
    ['distribution', { refusedMount: 'upload-session' }, 'registry/handlers/blobupload.go'],
    ['gitlab', { subjectMustExist: true }, 'moby/buildkit#7007'],
    ['gitlab', { refusedMount: 'unauthorized' }, 'estesp/manifest-tool#53'],
    ['gitlab', { referrers: 'tag-schema' }, 'gitlab-org/container-registry#1205'],
    ['ecr', { mediaTypeParameters: 'refused' }, 'aws/containers-roadmap#2306'],
    ['ecr', { immutableTag: { status: 400, registryCode: 'TAG_INVALID' } }, 'moby/buildkit#3776'],
    ['ecr', { createsRepositories: false }, 'regclient/regclient#869'],
    ['ecr', { referrers: 'api' }, 'OCI 1.1 referrers API'],
    ['quay', { dockerListChildren: 'docker-with-platform' }, 'image/docker/schema2/list.py'],
    ['quay', { immutableTag: { status: 409, registryCode: 'TAG_IMMUTABLE' } }, 'endpoints/v2/errors.py'],
    ['ghcr', { referrers: 'tag-schema' }, 'discussions/208530'],
    ['harbor', { refusedMount: 'unauthorized' }, 'goharbor/harbor#17097'],
    ['harbor', { immutableTag: { status: 412, registryCode: 'PRECONDITION' } }, 'immutable/pushmf.go'],
    ['docker-hub', { referrers: 'tag-schema' }, 'docker/roadmap#724'],
    ['acr', { referrers: 'api' }, 'container-registry-oras-artifacts'],
  ])('%s: %j (%s)', (name, facts, source) => {
    const row = profile(name);
    expect(row).toMatchObject(facts);
    expect(row.sources.some((cited) => cited.includes(source))).toBe(true);
  });

  test('Docker Hub shows its own rate-limit header beside the standard ones', () => {
    expect(profile('docker-hub').rateLimitHeaders).toEqual([
      'ratelimit-limit',
      'ratelimit-remaining',
      'retry-after',
      'docker-ratelimit-source',
    ]);
  });

  test.each(allProfiles().map((row) => [row.family, row] as const))(
    '%s accepts the tags of the reference grammar, and no others',
    (_name, row) => {
      expect(row.tagPattern.test('v1.2.3')).toBe(true);
      expect(row.tagPattern.test('a'.repeat(128))).toBe(true);
      expect(row.tagPattern.test('a'.repeat(129))).toBe(false);
      expect(row.tagPattern.test('-leading-dash')).toBe(false);
      expect(row.sources.length).toBeGreaterThan(0);
    },
  );
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

// Names and hosts of the families: code and comments alike, so that a quirk cannot hide anywhere but the profiles.
const familyNames =
  /docker\.io|ghcr|\.dkr\.ecr|amazonaws|quay|azurecr|pkg\.dev|gcr\.io|gitlab|harbor|docker hub|\b(ECR|GHCR|ACR|GAR)\b/i;

test('no file of src/oci outside the registry module (src/oci/registries/) names a registry family', () => {
  const naming = sourceFiles(srcOci)
    .filter((file) => !relative(srcOci, file).startsWith('registries/'))
    .flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) =>
          familyNames.test(line) ? [`${relative(srcOci, file)}:${index + 1}: ${line.trim()}`] : [],
        ),
    );
  expect(naming).toEqual([]);
});
