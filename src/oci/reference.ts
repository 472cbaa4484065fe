import { isValidDigest } from './digest.js';
import { OciError } from './errors.js';
import { defaultRegistry } from './registries/lookup.js';

export interface Repository {
  /** Canonical registry name: `registry.example`, `localhost:5000`, `127.0.0.1:5000`, `[::1]:5000`. */
  readonly registry: string;
  /** Repository path inside the registry: `library/ubuntu`, `o/app`. */
  readonly path: string;
}

export interface Reference extends Repository {
  readonly tag?: string;
  readonly digest?: string;
}

// distribution/reference caps the whole name (registry + path) at 255 characters.
const maxNameLength = 255;

// distribution-spec name grammar, one path component at a time.
const pathComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const hostLabel = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const hostPattern = new RegExp(`^(?:${hostLabel}(?:\\.${hostLabel})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const tagPattern = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

function invalid(input: string, reason: string): OciError {
  return new OciError({ code: 'INVALID_REFERENCE', message: `invalid reference ${JSON.stringify(input)}: ${reason}` });
}

export function isValidTag(tag: string): boolean {
  return tagPattern.test(tag);
}

/** Docker's rule: the first component names a registry only if it looks like a host; otherwise the default one. */
function looksLikeHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

function splitRegistry(name: string): { readonly registry: string; readonly path: string } {
  const slash = name.indexOf('/');
  const first = name.slice(0, slash);
  if (slash === -1 || !looksLikeHost(first)) return { registry: defaultRegistry.name, path: name };
  return { registry: first.toLowerCase(), path: name.slice(slash + 1) };
}

function canonicalRepository(input: string, name: string): Repository {
  const split = splitRegistry(name);
  // Docker refuses these too: a bare 64-hex name is an image ID typed where a name belongs.
  if (/^[a-f0-9]{64}$/.test(split.path)) throw invalid(input, 'a 64-character hex string is an image ID, not a name');
  if (!hostPattern.test(split.registry))
    throw invalid(input, `${JSON.stringify(split.registry)} is not a valid registry host`);
  const registry = split.registry === defaultRegistry.legacyName ? defaultRegistry.name : split.registry;
  // The default registry's official images live under library/, which users leave out.
  const path =
    registry === defaultRegistry.name && !split.path.includes('/')
      ? `${defaultRegistry.officialNamespace}/${split.path}`
      : split.path;
  checkPath(input, path);
  if (registry.length + 1 + path.length > maxNameLength) {
    throw invalid(input, `the repository name is longer than ${maxNameLength} characters`);
  }
  return { registry, path };
}

function checkPath(input: string, path: string): void {
  if (path === '') throw invalid(input, 'the repository path is empty');
  for (const component of path.split('/')) {
    if (pathComponent.test(component)) continue;
    if (pathComponent.test(component.toLowerCase())) throw invalid(input, 'repository names must be lowercase');
    throw invalid(
      input,
      `path component ${JSON.stringify(component)} must be lowercase letters and digits, separated by ".", "_", "__" or "-"`,
    );
  }
}

/** Splits `name[:tag][@digest]`; a colon before the last slash belongs to the registry's port, not to a tag. */
function splitReference(input: string): { readonly name: string; readonly tag?: string; readonly digest?: string } {
  const at = input.indexOf('@');
  const digest = at === -1 ? undefined : input.slice(at + 1);
  const nameAndTag = at === -1 ? input : input.slice(0, at);
  const colon = nameAndTag.lastIndexOf(':');
  if (colon === -1 || colon < nameAndTag.lastIndexOf('/')) return { name: nameAndTag, digest };
  return { name: nameAndTag.slice(0, colon), tag: nameAndTag.slice(colon + 1), digest };
}

export function parseReference(input: string): Reference {
  if (input === '') throw invalid(input, 'the reference is empty');
  const parts = splitReference(input);
  if (parts.tag !== undefined && !isValidTag(parts.tag)) {
    throw invalid(input, `tag ${JSON.stringify(parts.tag)} must match [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`);
  }
  if (parts.digest !== undefined && !isValidDigest(parts.digest)) {
    throw invalid(input, `digest ${JSON.stringify(parts.digest)} is not a valid digest (sha256:<64 lowercase hex>)`);
  }
  const repository = canonicalRepository(input, parts.name);
  return {
    ...repository,
    ...(parts.tag === undefined ? {} : { tag: parts.tag }),
    ...(parts.digest === undefined ? {} : { digest: parts.digest }),
  };
}

export function parseRepository(input: string): Repository {
  const reference = parseReference(input);
  if (reference.tag !== undefined || reference.digest !== undefined) {
    throw invalid(input, 'expected a repository without tag or digest');
  }
  return reference;
}

/**
 * A registry name on its own (`localhost:5000`, `registry.internal`), canonical: a host is a registry only where a
 * reference would read it as one, so `myhost`, which Docker reads as a namespace of the default registry, is not.
 */
export function parseRegistryName(input: string): string {
  let repository: Repository | undefined;
  try {
    repository = parseRepository(`${input}/probe`);
  } catch (error) {
    // Reported in the caller's own words: the probe path in the message would only confuse.
    if (!(error instanceof OciError)) throw error;
  }
  if (repository?.path !== 'probe' || repository.registry === defaultRegistry.name) {
    throw invalid(input, 'not a registry host[:port]');
  }
  return repository.registry;
}

export function formatRepository(repository: Repository): string {
  return `${repository.registry}/${repository.path}`;
}

/** Whether the registry runs on this machine, where plain http is acceptable (go-containerregistry's heuristic). */
export function isLoopbackRegistry(registry: string): boolean {
  if (!hostPattern.test(registry)) return false;
  let hostname: string;
  try {
    // URL lower-cases the host, drops the port and canonicalises IP literals ([0:0::1] -> [::1]).
    hostname = new URL(`http://${registry}/`).hostname;
  } catch {
    return false; // not a host at all, so certainly not a loopback one
  }
  if (hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** The token scope for a repository, as distribution's token spec writes it: `repository:o/app:pull,push`. */
export function repositoryScope(path: string, actions: readonly ('pull' | 'push')[]): string {
  if (actions.length === 0) throw new Error(`repositoryScope(${JSON.stringify(path)}) needs at least one action`);
  const unique = [...new Set(actions)].sort();
  return `repository:${path}:${unique.join(',')}`;
}
