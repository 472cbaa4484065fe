import {
  buildxArguments,
  digestFromMetadata,
  annotationAttributes,
  imageOutput,
  parseBuilderDriver,
  withCacheScope,
} from '../../../../src/build-action/backends/buildx.js';
import { parseBuildInputs } from '../../../../src/build-action/inputs.js';
import { userErrorFrom } from '../../../support/thrown.js';
import type { BuildInputs } from '../../../../src/build-action/types.js';

function inputs(raw: Record<string, string>): BuildInputs {
  return parseBuildInputs((name) => ({ images: 'ghcr.io/o/app', platform: 'linux/arm/v7', ...raw })[name] ?? '');
}

const command = {
  metadataFile: '/tmp/m.json',
  cacheScope: 'multiarch-publish-0123456789abcdef-linux-arm-v7',
  secrets: [],
};

describe('buildx command line', () => {
  test('pushes by digest to every image in one quoted CSV field, with the metadata file and the context last', () => {
    expect(buildxArguments(inputs({ images: 'ghcr.io/o/app,o/app' }), command)).toEqual([
      'buildx',
      'build',
      '--platform',
      'linux/arm/v7',
      '--output',
      'type=image,"name=ghcr.io/o/app,docker.io/o/app",push-by-digest=true,name-canonical=true,push=true',
      '--metadata-file',
      '/tmp/m.json',
      '.',
    ]);
  });

  test('passes build-push-action style options through, in a fixed order', () => {
    const args = buildxArguments(
      inputs({
        context: 'app',
        file: 'app/Containerfile',
        target: 'runtime',
        'build-args': 'A=1\nB=2',
        labels: 'l=1',
        annotations: 'index:a=1',
        provenance: 'mode=max',
        sbom: 'true',
        'no-cache': 'true',
        pull: 'true',
      }),
      {
        ...command,
        secrets: [
          { id: 'npm', file: '/tmp/s0' },
          { id: 'aws', env: 'AWS_KEY' },
        ],
      },
    );
    expect(args[5]).toMatch(/,annotation-index\.a=1$/);
    expect(args.slice(8)).toEqual([
      '--file',
      'app/Containerfile',
      '--target',
      'runtime',
      '--build-arg',
      'A=1',
      '--build-arg',
      'B=2',
      '--label',
      'l=1',
      '--secret',
      'id=npm,src=/tmp/s0',
      '--secret',
      'id=aws,env=AWS_KEY',
      '--provenance',
      'mode=max',
      '--sbom',
      'true',
      '--no-cache',
      '--pull',
      'app',
    ]);
  });

  test('gives a type=gha cache without a scope the platform scope, and leaves every other cache alone', () => {
    const args = buildxArguments(
      inputs({
        'cache-from': 'type=gha\ntype=registry,ref=ghcr.io/o/cache',
        'cache-to': 'type=gha,mode=max\ntype=gha,scope=mine',
      }),
      command,
    );
    expect(args.filter((_, i) => ['--cache-from', '--cache-to'].includes(args[i - 1] ?? ''))).toEqual([
      `type=gha,scope=${command.cacheScope}`,
      'type=registry,ref=ghcr.io/o/cache',
      `type=gha,mode=max,scope=${command.cacheScope}`,
      'type=gha,scope=mine',
    ]);
  });

  test.each([
    ['type=gha', 'type=gha,scope=s'],
    [' type=gha , mode=max', ' type=gha , mode=max,scope=s'],
    ['type=gha,scope=x', 'type=gha,scope=x'],
    ['type=local,src=/tmp/c', 'type=local,src=/tmp/c'],
  ])('withCacheScope(%j) is %j', (entry, expected) => {
    expect(withCacheScope(entry, 's')).toBe(expected);
  });

  test.each([
    ['org.opencontainers.image.title=app', ['annotation.org.opencontainers.image.title=app']],
    ['index:k=v', ['annotation-index.k=v']],
    ['manifest,index:k=a=b', ['annotation-manifest.k=a=b', 'annotation-index.k=a=b']],
    ['manifest-descriptor[linux/arm/v7]:k=v', ['annotation-manifest-descriptor[linux/arm/v7].k=v']],
    ['k=', ['annotation.k=']],
  ])('gives the annotation %j to BuildKit as %j', (line, attributes) => {
    expect(annotationAttributes(line)).toEqual(attributes);
  });

  test.each([
    ['no "="', 'org.example', 'is not key=value'],
    ['an empty key', 'index:=v', 'an empty key'],
    ['a key with white space', 'my key=v', 'a key with white space'],
    ['an unknown level', 'manifests:k=v', 'the unknown level "manifests"'],
    ['a platform on the index level', 'index[linux/amd64]:k=v', 'gives the index level a platform'],
  ])('refuses an annotation with %s, naming annotations', (_what, line, problem) => {
    const error = userErrorFrom(() => annotationAttributes(line));
    expect(error.subject).toBe('annotations');
    expect(error.problem).toContain(problem);
  });

  test('quotes the names even for one image, so a registry port never reads as a CSV field of its own', () => {
    expect(imageOutput(inputs({ images: 'localhost:5000/a' }))).toBe(
      'type=image,"name=localhost:5000/a",push-by-digest=true,name-canonical=true,push=true',
    );
  });

  test.each([
    ['Name:          builder\nDriver:        docker-container\nLast Activity: x\n', 'docker-container'],
    ['Name:   default\nDriver: docker\n', 'docker'],
    ['Name: x\n', undefined],
    ['Name:          builder\nDriver:        \nLast Activity: x\n', ''],
  ])('reads the driver from `docker buildx inspect`', (output, driver) => {
    expect(parseBuilderDriver(output)).toBe(driver);
  });

  test('reads containerimage.digest from the metadata file and refuses a file without one', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(digestFromMetadata(JSON.stringify({ 'containerimage.digest': digest }), 'm.json')).toBe(digest);
    expect(userErrorFrom(() => digestFromMetadata('{}', 'm.json')).message).toMatch(
      /m.json has no "containerimage.digest"/,
    );
    expect(userErrorFrom(() => digestFromMetadata('', 'm.json')).subject).toBe('builder');
  });
});
