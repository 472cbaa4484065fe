import { Authorizer, type RegistryRequest } from './auth/authorizer.js';
import { dockerConfigKeychain, type Keychain } from './auth/credentials.js';
import type { HttpResponse, Send } from './http.js';
import { silentLogger, type Logger } from './logger.js';
import { formatRepository, isLoopbackRegistry, repositoryScope, type Repository } from './reference.js';
import { type RegistryFamily, type RegistryProfile } from './registries/profiles.js';
import type { RetryPolicy } from './retry.js';
import { createTransport, withLimit } from './transport.js';
import { registryApiHost, profileOf, profileForHost, profileForChallenge } from './registries/lookup.js';

export type { RegistryRequest } from './auth/authorizer.js';

export interface ClientOptions {
  readonly send: Send;
  readonly keychain: Keychain;
  readonly logger?: Logger;
  /** Registries the user allows over plain HTTP; loopback ones always are. */
  readonly insecure?: boolean;
  /** Requests in flight to this registry at once. */
  readonly concurrency?: number;
  /** The family the registry belongs to, when the caller knows better than its host name and challenge tell. */
  readonly family?: RegistryFamily;
}

/**
 * One registry host: its base URL, what its family is known to do, its authentication and its concurrency limit.
 * Knows nothing of repositories beyond the scopes a request names.
 */
export class RegistryClient {
  readonly registry: string;
  readonly baseUrl: URL;
  private knownProfile: RegistryProfile;
  private readonly authorizer: Authorizer;

  constructor(registry: string, options: ClientOptions) {
    this.registry = registry;
    this.knownProfile = options.family !== undefined ? profileOf(options.family) : profileForHost(registry);
    const plainHttpAllowed = isLoopbackRegistry(registry) || options.insecure === true;
    this.baseUrl = new URL(`${plainHttpAllowed ? 'http' : 'https'}://${registryApiHost(registry)}`);
    const recognisable = options.family === undefined && this.knownProfile.hosts === undefined;
    this.authorizer = new Authorizer({
      registry,
      baseUrl: this.baseUrl,
      send: withLimit(options.send, options.concurrency ?? 32),
      keychain: options.keychain,
      logger: options.logger ?? silentLogger,
      plainHttpAllowed,
      onBearer: (realm, service) => {
        if (recognisable) this.knownProfile = profileForChallenge(realm, service) ?? this.knownProfile;
      },
    });
  }

  /**
   * What this registry's family is known to do: from its host name, or, for a self-hosted family,
   * from the token challenge of its first 401.
   */
  get profile(): RegistryProfile {
    return this.knownProfile;
  }

  /**
   * Scopes to ask for in every token from now on, so that one token covers a whole publish (push on the target, pull
   * on every mount source) instead of one auth round per operation.
   */
  hintScopes(scopes: readonly string[]): void {
    this.authorizer.hintScopes(scopes);
  }

  request(req: RegistryRequest): Promise<HttpResponse> {
    return this.authorizer.request(req);
  }
}

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
