import { dockerConfigKeychain } from './auth/credentials.js';
import type { Logger } from './logger.js';
import { RegistryClients } from './remote.js';
import type { RegistryFamily } from './registries/profiles.js';
import type { RetryPolicy } from './retry.js';
import { createTransport } from './transport.js';

export interface RegistrySessionOptions {
  /** Where Docker credentials are read from (DOCKER_CONFIG, HOME, PATH for credential helpers). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
  readonly insecureRegistries?: readonly string[];
  readonly retry?: RetryPolicy;
  /** Registries whose family their host name does not tell, by canonical name. */
  readonly families?: Readonly<Record<string, RegistryFamily>>;
}

/** The registries as one action run reaches them: one transport, Docker's credentials, masked as they are read. */
export interface RegistrySession {
  readonly clients: RegistryClients;
  close(): Promise<void>;
}

export function openRegistrySession(options: RegistrySessionOptions): RegistrySession {
  const { logger } = options;
  const transport = createTransport({ logger, ...(options.retry ? { retry: options.retry } : {}) });
  const keychain = dockerConfigKeychain({ env: options.env, onSecret: (value) => logger.secret(value) });
  const clients = new RegistryClients({
    send: transport.send,
    keychain,
    logger,
    insecureRegistries: options.insecureRegistries,
    families: options.families,
  });
  return { clients, close: () => transport.close() };
}
