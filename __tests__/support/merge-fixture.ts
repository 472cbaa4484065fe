import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Platform } from '../../src/oci/descriptor.js';
import { dockerConfigKeychain } from '../../src/oci/auth/credentials.js';
import { RegistryClients } from '../../src/oci/remote.js';
import { createTransport, type Transport } from '../../src/oci/transport.js';
import { createRecord, serializeRecord } from '../../src/records/record.js';
import { directoryRecordStore } from '../../src/records/directory.js';
import { parseMergeInputs } from '../../src/merge/inputs.js';
import { merge, type MergeOutcome } from '../../src/merge/merge.js';
import { silentLogger } from '../../src/log.js';
import type { OciLayout } from './layout.js';
import type { TestRegistry, TestUser } from './registry.js';

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
  options: { readonly dockerConfig?: string; readonly consistencyWaitMs?: number } = {},
): Promise<MergeRun> {
  let transport: Transport | undefined;
  try {
    const inputs = parseMergeInputs((name) => rawInputs[name] ?? '');
    transport = createTransport({
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, maxRetryAfterMs: 1000, random: Math.random },
    });
    const keychain = dockerConfigKeychain({
      env: { DOCKER_CONFIG: options.dockerConfig ?? join(tmpdir(), 'no-docker-config'), PATH: process.env.PATH },
    });
    const clients = new RegistryClients({
      send: transport.send,
      keychain,
      insecureRegistries: inputs['insecure-registries'],
    });
    const store = directoryRecordStore(inputs['records-path'] ?? '');
    const outcome = await merge(inputs, {
      store,
      recordsSubject: 'records-path',
      clients,
      logger: silentLogger,
      consistencyWaitMs: options.consistencyWaitMs ?? 0,
    });
    return { outcome };
  } catch (error) {
    return { error };
  } finally {
    await transport?.close();
  }
}
