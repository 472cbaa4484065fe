import { distribution, families, type RegistryFamily, type RegistryProfile } from './profiles.js';

/** Which profile a registry gets, and where the default registry's API and credentials really are. */
const byFamily = new Map<RegistryFamily, RegistryProfile>(
  [distribution, ...families].map((profile) => [profile.family, profile]),
);

/** The default registry of references without a host, and the legacy name Docker writes for it. */
export const defaultRegistry = { name: 'docker.io', legacyName: 'index.docker.io', officialNamespace: 'library' };

// Docker Hub's name is not where it serves the API, nor the key `docker login` files its credentials under.
const dockerHubApiHost = 'registry-1.docker.io';
const dockerHubCredentialKey = 'https://index.docker.io/v1/';

/** The host[:port] that serves the registry API for a canonical registry name. */
export function registryApiHost(registry: string): string {
  return registry === defaultRegistry.name ? dockerHubApiHost : registry;
}

/** The key Docker's config.json files the registry's credentials under. */
export function credentialKey(registry: string): string {
  return registry === defaultRegistry.name ? dockerHubCredentialKey : registry;
}

/** The profile of a family by its name (as an OciError carries it); plain distribution for any other name. */
export function profileOf(family: string | undefined): RegistryProfile {
  return byFamily.get(family as RegistryFamily) ?? distribution;
}

/** The profile of a registry by its canonical name: the family whose hosts match, or plain distribution. */
export function profileForHost(registry: string): RegistryProfile {
  const host = registry.toLowerCase();
  return families.find((profile) => profile.hosts?.test(host)) ?? distribution;
}

/** A self-hosted family recognised by its token challenge; undefined when no family's challenge matches. */
export function profileForChallenge(realm: string, service: string | undefined): RegistryProfile | undefined {
  let path: string;
  try {
    path = new URL(realm).pathname;
  } catch {
    return undefined;
  }
  return families.find(
    ({ challenge }) =>
      challenge !== undefined &&
      (challenge.realmPath === undefined || challenge.realmPath.test(path)) &&
      (challenge.service === undefined || (service !== undefined && challenge.service.test(service))),
  );
}

/** Every profile, plain distribution first: for the documentation and the tests. */
export function allProfiles(): readonly RegistryProfile[] {
  return [distribution, ...families];
}
