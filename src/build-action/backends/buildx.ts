import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import type { Exec } from '../../exec.js';
import { isValidDigest } from '../../oci/digest.js';
import { formatRepository } from '../../oci/reference.js';
import type { BuildInputs } from '../types.js';
import { platformArgument, repeated, runTool, type Backend, type BackendContext } from './backend.js';
import { secretArgument, secretSources, type SecretSource } from './secrets.js';

export interface BuildxCommand {
  readonly metadataFile: string;
  readonly cacheScope: string;
  readonly secrets: readonly SecretSource[];
}

function optionalFlag(flag: string, value: string | undefined): string[] {
  return value === undefined ? [] : [flag, value];
}

/**
 * The GitHub Actions cache is one namespace per repository: parallel platform builds sharing the default scope
 * overwrite each other's cache, so a `type=gha` entry without a scope gets one per image set and platform.
 */
export function withCacheScope(entry: string, scope: string): string {
  const fields = entry.split(',').map((field) => field.trim());
  if (!fields.includes('type=gha') || fields.some((field) => field.startsWith('scope='))) return entry;
  return `${entry},scope=${scope}`;
}

/** A field of buildx's --output, which buildx reads as one CSV record (encoding/csv): quoted when it must be. */
function csvField(field: string): string {
  return /[",\r\n]/.test(field) || field.startsWith(' ') ? `"${field.replaceAll('"', '""')}"` : field;
}

const annotationLevels = ['manifest', 'manifest-descriptor', 'index', 'index-descriptor'];
// BuildKit exptypes/annotations.go keyAnnotationRegexp: the key is any run of non-space characters.
const annotationKey = /^\S+$/;

/**
 * An `annotations` line as BuildKit's exporter attribute: `[levels[platform]:]key=value` becomes
 * `annotation-<level>[platform].key=value` per level, or `annotation.key=value` (the manifest) with no level, as
 * exptypes/annotations.go writes and reads them. In the --output value, they need no --annotation flag (buildx 0.12).
 */
export function annotationAttributes(line: string): string[] {
  const fail = (problem: string): never => {
    throw new UserError(
      'annotations',
      `${JSON.stringify(line)} ${problem}`,
      'Write key=value, or level:key=value with a level of manifest, manifest-descriptor, index or index-descriptor (manifest[linux/amd64]:key=value for one platform).',
    );
  };
  const equals = line.indexOf('=');
  if (equals === -1) fail('is not key=value.');
  const name = line.slice(0, equals);
  const value = line.slice(equals + 1);
  const colon = name.indexOf(':');
  const key = name.slice(colon + 1);
  if (!annotationKey.test(key)) fail(`has ${key === '' ? 'an empty key' : 'a key with white space'}.`);
  if (colon === -1) return [`annotation.${key}=${value}`];
  const [, levels = '', platform] = /^([a-z,-]*)(?:\[([A-Za-z0-9_/-]+)\])?$/.exec(name.slice(0, colon)) ?? [];
  return levels.split(',').map((level) => {
    if (!annotationLevels.includes(level)) fail(`has the unknown level ${JSON.stringify(level)}.`);
    if (platform !== undefined && level.startsWith('index')) fail(`gives the ${level} level a platform.`);
    return `annotation-${level}${platform === undefined ? '' : `[${platform}]`}.${key}=${value}`;
  });
}

/** The image output: pushed by digest to every repository at once, no tag (BuildKit's `push-by-digest`). */
export function imageOutput(inputs: BuildInputs): string {
  // One CSV field holding every name: buildx reads --output as CSV, so the comma-separated names are quoted.
  const names = inputs.images.map(formatRepository).join(',');
  const annotations = inputs.annotations.flatMap(annotationAttributes).map(csvField);
  return [
    'type=image',
    `"name=${names}"`,
    'push-by-digest=true',
    'name-canonical=true',
    'push=true',
    ...annotations,
  ].join(',');
}

/** The arguments after `docker`: a pure function of the inputs, so the command line is tested without a build. */
export function buildxArguments(inputs: BuildInputs, command: BuildxCommand): string[] {
  const cache = (values: readonly string[]) => values.map((value) => withCacheScope(value, command.cacheScope));
  return [
    'buildx',
    'build',
    '--platform',
    platformArgument(inputs.platform),
    '--output',
    imageOutput(inputs),
    '--metadata-file',
    command.metadataFile,
    ...optionalFlag('--file', inputs.file),
    ...optionalFlag('--target', inputs.target),
    ...repeated('--build-arg', inputs['build-args']),
    ...repeated('--label', inputs.labels),
    ...repeated('--secret', command.secrets.map(secretArgument)),
    ...optionalFlag('--provenance', inputs.provenance),
    ...optionalFlag('--sbom', inputs.sbom),
    ...repeated('--cache-from', cache(inputs['cache-from'])),
    ...repeated('--cache-to', cache(inputs['cache-to'])),
    ...(inputs['no-cache'] ? ['--no-cache'] : []),
    ...(inputs.pull ? ['--pull'] : []),
    inputs.context,
  ];
}

/**
 * The driver of the current buildx builder, from `docker buildx inspect` (`Driver: docker-container`); '' when the
 * line is empty, as with no usable builder. Read within the line: the next line's label is not a driver.
 */
export function parseBuilderDriver(inspectOutput: string): string | undefined {
  return /^Driver:[ \t]*(\S*)/m.exec(inspectOutput)?.[1];
}

async function checkBuilder(exec: Exec, inputs: BuildInputs): Promise<void> {
  const inspect = await runTool(exec, docker, ['buildx', 'inspect'], { silent: true });
  if (inspect.exitCode !== 0) {
    throw new UserError(
      'builder',
      `is buildx, but \`docker buildx inspect\` failed (exit ${inspect.exitCode}): ${inspect.stderr.trim().slice(-500)}`,
      'Add docker/setup-buildx-action before this step, or use builder: buildah on runners without Docker.',
    );
  }
  const driver = parseBuilderDriver(inspect.stdout);
  if (driver === '') {
    throw new UserError(
      'builder',
      'is buildx, but `docker buildx inspect` shows no driver: there is no usable builder.',
      'Add docker/setup-buildx-action before this step: it creates a docker-container builder.',
    );
  }
  if (driver === 'docker') {
    throw new UserError(
      'builder',
      'is buildx, but the current builder uses the `docker` driver, which cannot push an image by digest.',
      inputs.platform.os === 'windows'
        ? 'Windows runners have only that driver: build and push with docker there, and record the digest with builder: none.'
        : 'Add docker/setup-buildx-action before this step: it creates a docker-container builder.',
    );
  }
}

/** `containerimage.digest` from the file `--metadata-file` wrote. */
export function digestFromMetadata(text: string, file: string): string {
  let digest: unknown;
  try {
    digest = (JSON.parse(text) as Record<string, unknown>)['containerimage.digest'];
  } catch {
    digest = undefined;
  }
  if (typeof digest === 'string' && isValidDigest(digest)) return digest;
  throw new UserError(
    'builder',
    `buildx finished, but its metadata file ${file} has no "containerimage.digest".`,
    'Use a buildx version that writes --metadata-file (v0.6 or later), with an image output that pushes.',
  );
}

const docker = {
  command: 'docker',
  missingFix: 'Add docker/setup-buildx-action before this step, or use builder: buildah on runners without Docker.',
};

async function runBuildx({ inputs, workDir, cacheScope, exec, logger, env }: BackendContext): Promise<string> {
  await checkBuilder(exec, inputs);
  const metadataFile = join(workDir, 'metadata.json');
  const secrets = await secretSources(inputs, { workDir, logger, envAsFile: false, env });
  const result = await runTool(exec, docker, buildxArguments(inputs, { metadataFile, cacheScope, secrets }));
  if (result.exitCode !== 0) {
    throw new UserError(
      'docker buildx build',
      `failed (exit ${result.exitCode}).`,
      'The build log above says why; nothing was recorded.',
    );
  }
  return digestFromMetadata(await readFile(metadataFile, 'utf8').catch(() => ''), metadataFile);
}

/** BuildKit through docker buildx, pushing by digest with its own image output. */
export const buildxBackend: Backend = {
  name: 'buildx',
  run: runBuildx,
  digest: 'refused',
  tool: docker,
  notPushedFix: 'Check that the buildx output pushed to every image (the build log above).',
};
