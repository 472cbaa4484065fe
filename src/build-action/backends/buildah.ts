import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { explain, UserError } from '../../errors.js';
import type { Exec } from '../../exec.js';
import { pushLayoutImage, readLayoutBlob, readLayoutImage, type LayoutImage } from '../../oci/layout.js';
import { parseConfigPlatform } from '../../oci/config.js';
import { formatRepository, type Repository } from '../../oci/reference.js';
import type { RegistryClients } from '../../oci/client.js';
import type { BuildInputs } from '../types.js';
import { confirmPlatform } from '../pushed.js';
import { platformArgument, repeated, runTool, type Backend, type BackendContext } from './backend.js';
import { secretArgument, secretSources, type SecretSource } from './secrets.js';

/** The arguments of `buildah bud`: a pure function of the inputs, like the buildx command line. */
export function buildahBudArguments(
  inputs: BuildInputs,
  command: {
    readonly imageIdFile: string;
    readonly secrets: readonly SecretSource[];
    /** SOURCE_DATE_EPOCH: timestamps pinned, so the same sources build the same digest again. */
    readonly sourceDateEpoch?: string;
  },
): string[] {
  return [
    'bud',
    '--platform',
    platformArgument(inputs.platform),
    '--iidfile',
    command.imageIdFile,
    ...(inputs.file === undefined ? [] : ['--file', inputs.file]),
    ...(inputs.target === undefined ? [] : ['--target', inputs.target]),
    ...repeated('--build-arg', inputs['build-args']),
    ...repeated('--label', inputs.labels),
    ...repeated('--annotation', inputs.annotations),
    ...repeated('--secret', command.secrets.map(secretArgument)),
    ...(inputs['no-cache'] ? ['--no-cache'] : []),
    ...(inputs.pull ? ['--pull=always'] : []),
    ...(command.sourceDateEpoch ? ['--timestamp', command.sourceDateEpoch] : []),
    inputs.context,
  ];
}

const buildah = {
  command: 'buildah',
  missingFix: 'Install buildah on the runner (apt-get install buildah), or use builder: buildx.',
};

async function runBuildah(exec: Exec, args: readonly string[], what: string): Promise<void> {
  const result = await runTool(exec, buildah, args);
  if (result.exitCode === 0) return;
  throw new UserError(
    `buildah ${what}`,
    `failed (exit ${result.exitCode}).`,
    'Its log above says why; nothing was pushed.',
  );
}

/**
 * Builds with buildah, then writes the image to an OCI layout and pushes that with our own client: `buildah push`
 * to a registry always writes a tag (`latest` when none is named), and the build action must leave none.
 */
async function buildWithBuildah({ inputs, workDir, exec, clients, logger, env }: BackendContext): Promise<string> {
  const imageIdFile = join(workDir, 'image-id');
  const secrets = await secretSources(inputs, { workDir, logger, envAsFile: true, env });
  await runBuildah(
    exec,
    buildahBudArguments(inputs, { imageIdFile, secrets, sourceDateEpoch: env['SOURCE_DATE_EPOCH'] }),
    'bud',
  );
  const imageId = (await readFile(imageIdFile, 'utf8')).trim();
  const layoutDir = join(workDir, 'layout');
  try {
    await runBuildah(exec, ['push', '--quiet', imageId, `oci:${layoutDir}:image`], 'push (to a local OCI layout)');
  } finally {
    // The local image was only a step on the way; self-hosted runners keep their storage between jobs.
    await exec('buildah', ['rmi', '--force', imageId], { silent: true }).catch(() => undefined);
  }
  const image = await readLayoutImage(layoutDir);
  // The check the record gets after the push, made here first, so that an image of the wrong platform is never pushed.
  const configSource = `${layoutDir} ${image.config.digest}`;
  try {
    const platform = parseConfigPlatform(await readLayoutBlob(image, image.config), configSource);
    confirmPlatform(inputs.platform, platform, imageId);
  } catch (error) {
    throw explain(error, configSource);
  }
  await pushToEveryImage(image, inputs.images, clients);
  return image.manifest.descriptor.digest;
}

/** buildah, for runners without a Docker daemon; the image is pushed by this action's own client. */
export const buildahBackend: Backend = {
  name: 'buildah',
  run: buildWithBuildah,
  // BuildKit attestations and BuildKit cache exporters have no buildah equivalent here.
  refuses: {
    inputs: ['provenance', 'sbom', 'cache-from', 'cache-to'],
    problem: 'is a BuildKit option that builder buildah does not have.',
    fix: (input) => `Remove \`${input}\`, or use builder: buildx.`,
  },
  digest: 'refused',
  tool: buildah,
  notPushedFix: 'Retry the job; if it persists, the registry lost the upload.',
};

/** Registries in parallel; within one, the first repository gets the bytes and the others mount them from it. */
async function pushToEveryImage(
  image: LayoutImage,
  images: readonly Repository[],
  clients: RegistryClients,
): Promise<void> {
  const registries = [...new Set(images.map((repository) => repository.registry))];
  await Promise.all(
    registries.map(async (registry) => {
      const repositories = images.filter((repository) => repository.registry === registry);
      let pushedTo: Repository | undefined;
      for (const repository of repositories) {
        const target = clients.repository(repository);
        const mountFrom = pushedTo === undefined ? undefined : clients.repository(pushedTo);
        await pushLayoutImage(image, target, mountFrom).catch((error: unknown) => {
          throw explain(error, formatRepository(repository), { writing: true });
        });
        pushedTo = repository;
      }
    }),
  );
}
