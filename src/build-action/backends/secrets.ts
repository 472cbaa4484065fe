import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { BuildInputs } from '../types.js';

/** A build secret as BuildKit and buildah take it on the command line: `id=…,src=FILE` or `id=…,env=VARIABLE`. */
export type SecretSource = { readonly id: string } & ({ readonly file: string } | { readonly env: string });

export function secretArgument(secret: SecretSource): string {
  return 'file' in secret ? `id=${secret.id},src=${secret.file}` : `id=${secret.id},env=${secret.env}`;
}

/**
 * Secret values never go on a command line, where they would be logged: each is masked and written to a file only
 * this user can read, in the build's scratch directory. `secret-envs` stay references to the step's environment
 * unless the builder can only read files.
 */
export async function secretSources(
  inputs: BuildInputs,
  options: {
    readonly workDir: string;
    readonly logger: Logger;
    readonly envAsFile: boolean;
    readonly env: Readonly<Record<string, string | undefined>>;
  },
): Promise<SecretSource[]> {
  const fromValues = inputs.secrets.map((secret, index) =>
    writeSecret(options, secret.id, `secret-${index}`, secret.value),
  );
  const fromEnvs = inputs['secret-envs'].map((secret, index) => {
    const value = options.env[secret.value];
    if (value === undefined) {
      const fix = `Set ${secret.value} in the step's env: (e.g. from a secret), or remove the line.`;
      return Promise.reject(new UserError('secret-envs', `names ${secret.value}, which is not set.`, fix));
    }
    return options.envAsFile
      ? writeSecret(options, secret.id, `secret-env-${index}`, value)
      : Promise.resolve({ id: secret.id, env: secret.value });
  });
  const fromFiles = inputs['secret-files'].map((secret) => ({ id: secret.id, file: secret.value }));
  return [...(await Promise.all([...fromValues, ...fromEnvs])), ...fromFiles];
}

async function writeSecret(
  options: { readonly workDir: string; readonly logger: Logger },
  id: string,
  fileName: string,
  value: string,
): Promise<SecretSource> {
  options.logger.secret(value);
  const file = join(options.workDir, fileName);
  await writeFile(file, value, { mode: 0o600 });
  return { id, file };
}
