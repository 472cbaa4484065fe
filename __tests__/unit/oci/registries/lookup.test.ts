import { type RegistryFamily } from '../../../../src/oci/registries/profiles.js';
import {
  registryApiHost,
  credentialKey,
  profileForHost,
  profileForChallenge,
} from '../../../../src/oci/registries/lookup.js';

const family = (host: string): RegistryFamily => profileForHost(host).family;

describe('a registry is recognised by its host', () => {
  test.each<[string, RegistryFamily]>([
    ['docker.io', 'docker-hub'],
    ['registry-1.docker.io', 'docker-hub'],
    ['ghcr.io', 'ghcr'],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com', 'ecr'],
    ['123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com', 'ecr'],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn', 'ecr'],
    ['public.ecr.aws', 'ecr'],
    ['europe-west1-docker.pkg.dev', 'gar'],
    ['gcr.io', 'gar'],
    ['eu.gcr.io', 'gar'],
    ['myregistry.azurecr.io', 'acr'],
    ['quay.io', 'quay'],
    ['registry.gitlab.com', 'gitlab'],
    ['harbor.example.com', 'distribution'],
    ['127.0.0.1:5000', 'distribution'],
    ['ghcr.io.example.com', 'distribution'],
    ['dkr.ecr.us-east-1.amazonaws.com', 'distribution'],
  ])('%s is %s', (host, expected) => {
    expect(family(host)).toBe(expected);
  });
});

describe('a self-hosted family is recognised by its token challenge', () => {
  test.each<[string, string | undefined, RegistryFamily | undefined]>([
    ['https://harbor.example.com/service/token', 'harbor-registry', 'harbor'],
    ['https://gitlab.example.com/jwt/auth', 'container_registry', 'gitlab'],
    ['https://harbor.example.com/service/token', 'other', undefined],
    ['https://auth.example.com/token', 'registry.example.com', undefined],
    ['not a url', 'harbor-registry', undefined],
  ])('realm %s, service %s', (realm, service, expected) => {
    expect(profileForChallenge(realm, service)?.family).toBe(expected);
  });
});

describe('the default registry', () => {
  test.each([
    ['docker.io', 'registry-1.docker.io', 'https://index.docker.io/v1/'],
    ['ghcr.io', 'ghcr.io', 'ghcr.io'],
    ['localhost:5000', 'localhost:5000', 'localhost:5000'],
    ['[::1]:5000', '[::1]:5000', '[::1]:5000'],
  ])('maps %j to API host %j and credential key %j', (registry, apiHost, key) => {
    expect(registryApiHost(registry)).toBe(apiHost);
    expect(credentialKey(registry)).toBe(key);
  });
});
