import { RegistryClient } from './client.js';
import type { Keychain } from './auth/credentials.js';
import type { Send } from './http.js';
import { formatRepository, repositoryScope, type Repository } from './reference.js';
import type { Logger } from './logger.js';
import type { RegistryFamily } from './registries/profiles.js';

/** A repository in a registry, with the client that reaches it. */
export interface RemoteRepository {
  readonly client: RegistryClient;
  readonly path: string;
  /** The canonical name (`registry.example/o/app`), for messages. */
  readonly name: string;
}

export interface RegistryClientsOptions {
  readonly send: Send;
  readonly keychain: Keychain;
  readonly logger?: Logger;
  /** Registry names allowed over plain HTTP. */
  readonly insecureRegistries?: readonly string[];
  readonly concurrencyPerRegistry?: number;
  /** Registries whose family their host name does not tell (a self-hosted one), by canonical name. */
  readonly families?: Readonly<Record<string, RegistryFamily>>;
}

/** One client per registry host, made on first use, so tokens and connections are shared by every repository on it. */
export class RegistryClients {
  private readonly clients = new Map<string, RegistryClient>();
  private readonly options: RegistryClientsOptions;

  constructor(options: RegistryClientsOptions) {
    this.options = options;
  }

  client(registry: string): RegistryClient {
    let client = this.clients.get(registry);
    if (client === undefined) {
      client = new RegistryClient(registry, {
        send: this.options.send,
        keychain: this.options.keychain,
        logger: this.options.logger,
        insecure: this.options.insecureRegistries?.includes(registry) ?? false,
        concurrency: this.options.concurrencyPerRegistry,
        family: this.options.families?.[registry],
      });
      this.clients.set(registry, client);
    }
    return client;
  }

  repository(repository: Repository): RemoteRepository {
    return { client: this.client(repository.registry), path: repository.path, name: formatRepository(repository) };
  }
}

export const pullScope = (repository: RemoteRepository): string => repositoryScope(repository.path, ['pull']);
export const pushScope = (repository: RemoteRepository): string => repositoryScope(repository.path, ['pull', 'push']);
