import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Platform } from '../../src/oci/descriptor.js';
import type { RegistryFamily } from '../../src/oci/registries/profiles.js';
import type { RetryPolicy } from '../../src/oci/retry.js';
import { openRegistrySession, type RegistrySession } from '../../src/oci/client.js';
import { createRecord, serializeRecord } from '../../src/records/record.js';
import { directoryRecordStore } from '../../src/records/directory.js';
import { parseMergeInputs } from '../../src/merge-action/inputs.js';
import { merge } from '../../src/publish/publish.js';
import { silentLogger } from '../../src/log.js';
import type { OciLayout } from './layout.js';
import type { TestRegistry, TestUser } from './registry.js';
import type { MergeOutcome } from '../../src/publish/types.js';

/** Retries that a test can wait for: two attempts, milliseconds apart. */
export const fastRetry = {
  maxAttempts: 2,
  baseDelayMs: 10,
  maxDelayMs: 20,
  maxRetryAfterMs: 1000,
  random: Math.random,
};

/** A record as a build job writes it, for a layout pushed to `images`. */
export interface RecordSpec {
  readonly layout: OciLayout;
  readonly platform: Platform;
  readonly images: readonly string[];
}

export async function writeRecords(specs: readonly RecordSpec[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'records-'));
  await Promise.all(
    specs.map((spec, i) =>
      writeFile(
        join(dir, `record-${i}.json`),
        serializeRecord(
          createRecord({
            digest: spec.layout.descriptor.digest,
            mediaType: spec.layout.descriptor.mediaType,
            size: spec.layout.descriptor.size,
            platform: spec.platform,
            images: spec.images,
          }),
        ),
      ),
    ),
  );
  return dir;
}

/** A DOCKER_CONFIG directory holding credentials for several registries at once, as several docker/login-action steps leave it. */
export async function dockerConfigFor(logins: readonly { registry: TestRegistry; user?: TestUser }[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'docker-config-'));
  const auths = Object.fromEntries(
    logins
      .filter(({ registry }) => registry.auth !== 'none')
      .map(({ registry, user }) => {
        const { username, password } = user ?? registry.pusher;
        return [registry.host, { auth: Buffer.from(`${username}:${password}`).toString('base64') }];
      }),
  );
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.json'), JSON.stringify({ auths }));
  return dir;
}

export interface MergeRun {
  readonly outcome?: MergeOutcome;
  readonly error?: unknown;
}

/** Runs the real merge feature with raw action inputs, the real transport and a Docker config keychain. */
export async function runMerge(
  rawInputs: Readonly<Record<string, string>>,
  options: {
    readonly dockerConfig?: string;
    readonly consistencyWaitMs?: number;
    readonly retry?: RetryPolicy;
    /** Registries to treat as a family their loopback host cannot tell (a stand-in for ECR, Quay...). */
    readonly families?: Readonly<Record<string, RegistryFamily>>;
  } = {},
): Promise<MergeRun> {
  let session: RegistrySession | undefined;
  try {
    const inputs = parseMergeInputs((name) => rawInputs[name] ?? '');
    session = openRegistrySession({
      env: { DOCKER_CONFIG: options.dockerConfig ?? join(tmpdir(), 'no-docker-config'), PATH: process.env.PATH },
      logger: silentLogger,
      insecureRegistries: inputs['insecure-registries'],
      retry: options.retry ?? fastRetry,
      families: options.families,
    });
    const outcome = await merge(inputs, {
      store: directoryRecordStore(inputs['records-path'] ?? ''),
      recordsSubject: 'records-path',
      clients: session.clients,
      logger: silentLogger,
      consistencyWaitMs: options.consistencyWaitMs ?? 0,
    });
    return { outcome };
  } catch (error) {
    return { error };
  } finally {
    await session?.close();
  }
}
