import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  debug,
  getInput,
  group,
  info,
  setFailed,
  setOutput,
  setSecret,
  summary,
  warning
} from "./chunk-OUDF353H.js";

// src/oci/digest.ts
import { createHash } from "node:crypto";
import { Transform } from "node:stream";

// src/oci/errors.ts
var OciError = class extends Error {
  code;
  registry;
  method;
  url;
  status;
  registryCodes;
  registryDetails;
  family;
  retryable;
  constructor(details) {
    super(details.message, details.cause === void 0 ? void 0 : { cause: details.cause });
    this.name = "OciError";
    this.code = details.code;
    this.registry = details.registry;
    this.method = details.method;
    this.url = details.url;
    this.status = details.status;
    this.registryCodes = details.registryCodes ?? [];
    this.registryDetails = details.registryDetails ?? [];
    this.family = details.family;
    this.retryable = details.retryable ?? false;
  }
};
function isOciError(error, code) {
  return error instanceof OciError && (code === void 0 || error.code === code);
}
function redactUrl(url) {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return "[unparseable url]";
  }
}
var statusCodes = {
  401: "UNAUTHORIZED",
  403: "DENIED",
  404: "NOT_FOUND",
  429: "TOO_MANY_REQUESTS"
};
async function responseError(response, method, client, what) {
  const body = response.status === 0 || method === "HEAD" ? Buffer.alloc(0) : await response.bytes(64 * 1024).catch(() => Buffer.alloc(0));
  const errors = parseRegistryErrors(body);
  const registryCodes = errors.map((error) => error.code);
  let code = statusCodes[response.status] ?? (response.status >= 500 ? "SERVER_ERROR" : "REJECTED");
  if (code === "UNAUTHORIZED" && /insufficient_scope/.test(response.header("www-authenticate") ?? "")) code = "DENIED";
  if (registryCodes.includes("DENIED")) code = "DENIED";
  const detail = errors.map((error) => error.message).filter(Boolean)[0];
  return new OciError({
    code,
    message: `${what} failed: ${response.status}${detail ? ` ${detail}` : ""}${rateLimits(response, client.profile)}`,
    registry: client.registry,
    family: client.profile.family,
    method,
    url: redactUrl(response.url),
    status: response.status,
    registryCodes,
    registryDetails: errors.flatMap((error) => error.detail === void 0 ? [] : [error.detail]),
    retryable: response.status >= 500 || response.status === 429
  });
}
function rateLimits(response, profile) {
  if (response.status !== 429) return "";
  const stated = profile.rateLimitHeaders.flatMap((name) => {
    const value = response.header(name);
    return value === void 0 ? [] : [`${name}: ${value}`];
  });
  return stated.length === 0 ? "" : ` (${stated.join(", ")})`;
}
function parseRegistryErrors(body) {
  try {
    const parsed = JSON.parse(body.toString("utf8"));
    if (!Array.isArray(parsed.errors)) return [];
    return parsed.errors.filter(
      (error) => typeof error?.code === "string"
    ).map((error) => ({
      code: error.code,
      message: typeof error.message === "string" ? error.message : "",
      ...error.detail === void 0 || error.detail === null ? {} : { detail: typeof error.detail === "string" ? error.detail : JSON.stringify(error.detail) }
    }));
  } catch {
    return [];
  }
}

// src/oci/digest.ts
var digestPattern = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
var registeredEncodings = {
  sha256: /^[a-f0-9]{64}$/,
  sha512: /^[a-f0-9]{128}$/
};
function sha256Digest(bytes) {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
function isValidDigest(value) {
  if (!digestPattern.test(value)) return false;
  const separator = value.indexOf(":");
  const encoding = registeredEncodings[value.slice(0, separator)];
  return encoding === void 0 || encoding.test(value.slice(separator + 1));
}
function parseDigest(value) {
  if (isValidDigest(value)) return value;
  throw new OciError({
    code: "INVALID_DIGEST",
    message: `invalid digest ${JSON.stringify(value)}: expected "<algorithm>:<encoded>", sha256 as 64 lowercase hex`
  });
}
function hashFor(digest) {
  const algorithm = parseDigest(digest).slice(0, digest.indexOf(":"));
  if (algorithm in registeredEncodings) return createHash(algorithm);
  throw new OciError({
    code: "INVALID_DIGEST",
    message: `cannot verify digest ${JSON.stringify(digest)}: only sha256 and sha512 are supported`
  });
}
function mismatch(message) {
  return new OciError({ code: "DIGEST_MISMATCH", message });
}
function verifyingStream(expected) {
  const hash = hashFor(expected.digest);
  const algorithm = expected.digest.slice(0, expected.digest.indexOf(":"));
  let received = 0;
  return new Transform({
    transform(chunk, _encoding, callback) {
      received += chunk.length;
      if (received > expected.size) {
        callback(
          mismatch(
            `content of ${expected.digest} is longer than expected: ${received} bytes received so far, expected ${expected.size}`
          )
        );
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      if (received !== expected.size) {
        callback(mismatch(`content of ${expected.digest} is ${received} bytes, expected ${expected.size}`));
        return;
      }
      const actual = `${algorithm}:${hash.digest("hex")}`;
      if (actual !== expected.digest) {
        callback(mismatch(`content digest is ${actual}, expected ${expected.digest}`));
        return;
      }
      callback();
    }
  });
}

// src/oci/registries/profiles.ts
var mebibytes = (count) => count * 1024 * 1024;
var referenceTag = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
var standardRateLimitHeaders = ["ratelimit-limit", "ratelimit-remaining", "retry-after"];
var distribution = {
  family: "distribution",
  title: "CNCF distribution",
  // registry/handlers/manifests.go maxManifestBodySize = 4 << 20; larger is refused 400 MANIFEST_INVALID.
  maxManifestBytes: mebibytes(4),
  tagPattern: referenceTag,
  // No referrers handler in 2.8 or 3.x: 404, so clients keep the tag-schema fallback.
  referrers: "tag-schema",
  // registry/handlers/blobupload.go: a mount it cannot do opens an upload (202); app.go: 401 without pull on `from`.
  refusedMount: "upload-session",
  // A filesystem registry reads a blob link empty while a concurrent push of that blob rewrites it.
  consistencyWaitMs: 5e3,
  rateLimitHeaders: standardRateLimitHeaders,
  // manifests.go strips Content-Type parameters with mime.ParseMediaType; descriptors are not checked.
  mediaTypeParameters: "accepted",
  dockerListChildren: "any",
  // manifest/ocischema/manifest.go References(): config and layers only; the subject is not checked.
  subjectMustExist: false,
  createsRepositories: true,
  advice: [],
  sources: [
    "distribution/distribution registry/handlers/manifests.go (maxManifestBodySize)",
    "distribution/distribution registry/handlers/blobupload.go (mount)",
    "distribution/distribution manifest/ocischema/manifest.go (References)",
    "distribution/reference regexp.go (tag)"
  ]
};
var families = [
  {
    ...distribution,
    family: "docker-hub",
    title: "Docker Hub",
    hosts: /^(docker\.io|index\.docker\.io|registry-1\.docker\.io)$/,
    rateLimitHeaders: [...standardRateLimitHeaders, "docker-ratelimit-source"],
    advice: [
      {
        code: "TOO_MANY_REQUESTS",
        fix: "Docker Hub limits requests of anonymous and free accounts (the limits and window are above): log in to docker.io in this job (docker/login-action) with an account whose limit is higher, or retry after the window."
      }
    ],
    sources: [
      "docker/docs content/manuals/docker-hub/usage/pulls.md (limits, ratelimit-* headers on GET and HEAD; HEAD is not a pull)",
      "docker/roadmap#724 (referrers API requested)"
    ]
  },
  {
    ...distribution,
    family: "ghcr",
    title: "GitHub Container Registry",
    hosts: /^ghcr\.io$/,
    advice: [
      {
        code: "DENIED",
        method: "write",
        fix: "Give the job `permissions: packages: write` and log in to ghcr.io (docker/login-action with GITHUB_TOKEN), and make sure the package grants this repository write access."
      }
    ],
    sources: [
      "awslabs/soci-snapshotter docs/registry.md (GitHub Packages: referrers fallback)",
      "github.com/orgs/community/discussions/208530 (no referrers API)"
    ]
  },
  {
    ...distribution,
    family: "ecr",
    title: "Amazon ECR",
    hosts: /^(\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?|public\.ecr\.aws)$/,
    referrers: "api",
    immutableTag: { status: 400, registryCode: "TAG_INVALID" },
    // Refused in artifactType and layer mediaType; such manifests are answered 405 UNSUPPORTED "Invalid parameter
    // at 'ImageManifest'" by ECR's manifest validator.
    mediaTypeParameters: "refused",
    createsRepositories: false,
    advice: [
      {
        code: "DENIED",
        method: "write",
        fix: "Check that the ECR repository exists and that the role has ecr:PutImage, ecr:InitiateLayerUpload, ecr:UploadLayerPart, ecr:CompleteLayerUpload and ecr:BatchCheckLayerAvailability."
      },
      {
        code: "NOT_FOUND",
        method: "write",
        registryCode: "NAME_UNKNOWN",
        fix: "Create the ECR repository first (aws ecr create-repository, or in your infrastructure code): ECR does not create repositories on push."
      },
      {
        code: "REJECTED",
        registryCode: "TAG_INVALID",
        fix: "The repository has immutable tags and this tag already holds another image: publish under a new tag, or make the repository\u2019s tags mutable for moving tags such as latest."
      },
      {
        code: "REJECTED",
        method: "write",
        registryCode: "UNSUPPORTED",
        fix: "ECR\u2019s manifest check refused it (405 is its answer to a manifest it cannot read, not a wrong method): publish with `attestations: drop`, or build with BUILDX_NO_DEFAULT_OCI_ARTIFACT=true so that BuildKit writes attestations ECR takes."
      }
    ],
    sources: [
      "aws/containers-roadmap#2306 (media-type parameters in artifactType and layer mediaType)",
      "moby/buildkit#5747, aws/containers-roadmap#2783 (405 UNSUPPORTED on OCI-artifact manifests)",
      "moby/buildkit#3776, aws/containers-roadmap#2380 (immutable tag: 400 TAG_INVALID)",
      "docs.aws.amazon.com AmazonECR userguide images (OCI 1.1 referrers API)",
      "regclient/regclient#869 (NAME_UNKNOWN: no create on push)"
    ]
  },
  {
    ...distribution,
    family: "gar",
    title: "Google Artifact Registry",
    hosts: /^([a-z0-9-]+-docker\.pkg\.dev|([a-z]+\.)?gcr\.io)$/,
    sources: [
      "cloud.google.com artifact-registry/docs/transition/setup-gcr-repo (gcr.io served by Artifact Registry)",
      "awslabs/soci-snapshotter docs/registry.md (referrers endpoint redirects to a sign-in page: use the fallback)"
    ]
  },
  {
    ...distribution,
    family: "acr",
    title: "Azure Container Registry",
    hosts: /^[a-z0-9]{5,50}\.azurecr\.(io|cn|us)$/,
    referrers: "api",
    sources: [
      "learn.microsoft.com container-registry-oras-artifacts (OCI 1.1 referrers)",
      "Azure/azure-sdk-for-js#25769 (4 MB manifests)"
    ]
  },
  {
    ...distribution,
    family: "quay",
    title: "Quay",
    hosts: /^quay\.io$/,
    referrers: "api",
    immutableTag: { status: 409, registryCode: "TAG_IMMUTABLE" },
    dockerListChildren: "docker-with-platform",
    sources: [
      "quay/quay image/docker/schema2/list.py (list children: Docker schema 2/1 with platform os and architecture)",
      "quay/quay endpoints/v2/referrers.py (referrers API, FEATURE_REFERRERS_API)",
      "quay/quay endpoints/v2/errors.py (TAG_IMMUTABLE, 409)",
      "quay/quay util/names.py (tags of at most 128 characters)"
    ]
  },
  {
    ...distribution,
    family: "harbor",
    title: "Harbor",
    challenge: { realmPath: /\/service\/token$/, service: /^harbor-registry$/ },
    referrers: "api",
    refusedMount: "unauthorized",
    immutableTag: { status: 412, registryCode: "PRECONDITION" },
    advice: [
      {
        code: "REJECTED",
        method: "write",
        registryCode: "PRECONDITION",
        fix: "A Harbor tag immutability rule covers this tag and it holds another image: publish under a new tag, or exclude the tag from the project\u2019s immutability rules."
      }
    ],
    sources: [
      "goharbor/harbor#17097 (401 to a mount from a repository it does not have)",
      "goharbor/harbor src/server/middleware/v2auth/auth.go, src/core/service/token/creator.go (realm /service/token, service harbor-registry)",
      "goharbor/harbor src/server/middleware/immutable/pushmf.go (412 PRECONDITION)",
      "goharbor/harbor src/server/registry/route.go (referrers API since v2.8.0)"
    ]
  },
  {
    ...distribution,
    family: "gitlab",
    title: "GitLab container registry",
    hosts: /^registry\.gitlab\.com$/,
    challenge: { realmPath: /\/jwt\/auth$/, service: /^container_registry$/ },
    refusedMount: "unauthorized",
    subjectMustExist: true,
    advice: [
      {
        code: "NOT_FOUND",
        method: "write",
        registryCode: "MANIFEST_BLOB_UNKNOWN",
        fix: "GitLab refuses a manifest whose subject or blobs it does not hold yet; this step writes every one of them first, so GitLab has not caught up with its own writes: re-run the job."
      }
    ],
    sources: [
      "gitlab-org/container-registry registry/handlers/manifests.go (subject looked up in the repository; 400 MANIFEST_BLOB_UNKNOWN, detail the digest)",
      "moby/buildkit#7007 (subject refused when new)",
      "gitlab-org/container-registry#1205 (no referrers API)",
      "estesp/manifest-tool#53 (401 to a mount)"
    ]
  }
];

// src/oci/registries/lookup.ts
var byFamily = new Map(
  [distribution, ...families].map((profile) => [profile.family, profile])
);
var defaultRegistry = { name: "docker.io", legacyName: "index.docker.io", officialNamespace: "library" };
var dockerHubApiHost = "registry-1.docker.io";
var dockerHubCredentialKey = "https://index.docker.io/v1/";
function registryApiHost(registry) {
  return registry === defaultRegistry.name ? dockerHubApiHost : registry;
}
function credentialKey(registry) {
  return registry === defaultRegistry.name ? dockerHubCredentialKey : registry;
}
function profileOf(family) {
  return byFamily.get(family) ?? distribution;
}
function profileForHost(registry) {
  const host = registry.toLowerCase();
  return families.find((profile) => profile.hosts?.test(host)) ?? distribution;
}
function profileForChallenge(realm, service) {
  let path;
  try {
    path = new URL(realm).pathname;
  } catch {
    return void 0;
  }
  return families.find(
    ({ challenge }) => challenge !== void 0 && (challenge.realmPath === void 0 || challenge.realmPath.test(path)) && (challenge.service === void 0 || service !== void 0 && challenge.service.test(service))
  );
}
function allProfiles() {
  return [distribution, ...families];
}

// src/oci/reference.ts
var maxNameLength = 255;
var pathComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
var hostLabel = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
var hostPattern = new RegExp(`^(?:${hostLabel}(?:\\.${hostLabel})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
var tagPattern = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
function invalid(input, reason) {
  return new OciError({ code: "INVALID_REFERENCE", message: `invalid reference ${JSON.stringify(input)}: ${reason}` });
}
function isValidTag(tag) {
  return tagPattern.test(tag);
}
function looksLikeHost(component) {
  return component.includes(".") || component.includes(":") || component === "localhost";
}
function splitRegistry(name) {
  const slash = name.indexOf("/");
  const first = name.slice(0, slash);
  if (slash === -1 || !looksLikeHost(first)) return { registry: defaultRegistry.name, path: name };
  return { registry: first.toLowerCase(), path: name.slice(slash + 1) };
}
function canonicalRepository(input, name) {
  const split = splitRegistry(name);
  if (/^[a-f0-9]{64}$/.test(split.path)) throw invalid(input, "a 64-character hex string is an image ID, not a name");
  if (!hostPattern.test(split.registry))
    throw invalid(input, `${JSON.stringify(split.registry)} is not a valid registry host`);
  const registry = split.registry === defaultRegistry.legacyName ? defaultRegistry.name : split.registry;
  const path = registry === defaultRegistry.name && !split.path.includes("/") ? `${defaultRegistry.officialNamespace}/${split.path}` : split.path;
  checkPath(input, path);
  if (registry.length + 1 + path.length > maxNameLength) {
    throw invalid(input, `the repository name is longer than ${maxNameLength} characters`);
  }
  return { registry, path };
}
function checkPath(input, path) {
  if (path === "") throw invalid(input, "the repository path is empty");
  for (const component of path.split("/")) {
    if (pathComponent.test(component)) continue;
    if (pathComponent.test(component.toLowerCase())) throw invalid(input, "repository names must be lowercase");
    throw invalid(
      input,
      `path component ${JSON.stringify(component)} must be lowercase letters and digits, separated by ".", "_", "__" or "-"`
    );
  }
}
function splitReference(input) {
  const at = input.indexOf("@");
  const digest = at === -1 ? void 0 : input.slice(at + 1);
  const nameAndTag = at === -1 ? input : input.slice(0, at);
  const colon = nameAndTag.lastIndexOf(":");
  if (colon === -1 || colon < nameAndTag.lastIndexOf("/")) return { name: nameAndTag, digest };
  return { name: nameAndTag.slice(0, colon), tag: nameAndTag.slice(colon + 1), digest };
}
function parseReference(input) {
  if (input === "") throw invalid(input, "the reference is empty");
  const parts = splitReference(input);
  if (parts.tag !== void 0 && !isValidTag(parts.tag)) {
    throw invalid(input, `tag ${JSON.stringify(parts.tag)} must match [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`);
  }
  if (parts.digest !== void 0 && !isValidDigest(parts.digest)) {
    throw invalid(input, `digest ${JSON.stringify(parts.digest)} is not a valid digest (sha256:<64 lowercase hex>)`);
  }
  const repository = canonicalRepository(input, parts.name);
  return {
    ...repository,
    ...parts.tag === void 0 ? {} : { tag: parts.tag },
    ...parts.digest === void 0 ? {} : { digest: parts.digest }
  };
}
function parseRepository(input) {
  const reference = parseReference(input);
  if (reference.tag !== void 0 || reference.digest !== void 0) {
    throw invalid(input, "expected a repository without tag or digest");
  }
  return reference;
}
function parseRegistryName(input) {
  let repository;
  try {
    repository = parseRepository(`${input}/probe`);
  } catch (error) {
    if (!(error instanceof OciError)) throw error;
  }
  if (repository?.path !== "probe" || repository.registry === defaultRegistry.name) {
    throw invalid(input, "not a registry host[:port]");
  }
  return repository.registry;
}
function formatRepository(repository) {
  return `${repository.registry}/${repository.path}`;
}
function isLoopbackRegistry(registry) {
  if (!hostPattern.test(registry)) return false;
  let hostname;
  try {
    hostname = new URL(`http://${registry}/`).hostname;
  } catch {
    return false;
  }
  if (hostname === "localhost" || hostname.endsWith(".localhost") || hostname === "[::1]") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
function repositoryScope(path, actions) {
  if (actions.length === 0) throw new Error(`repositoryScope(${JSON.stringify(path)}) needs at least one action`);
  const unique = [...new Set(actions)].sort();
  return `repository:${path}:${unique.join(",")}`;
}

// src/github/server.ts
var legacyArtifactActions = "actions/upload-artifact@v3 and actions/download-artifact@v3";
var servers = {
  github: { label: "GitHub", artifactActions: "actions/upload-artifact@v4 and actions/download-artifact@v4" },
  "enterprise-server": { label: "GitHub Enterprise Server", artifactActions: legacyArtifactActions },
  gitea: { label: "Gitea", artifactActions: legacyArtifactActions },
  forgejo: { label: "Forgejo", artifactActions: legacyArtifactActions }
};
function actionsServer(env) {
  const url = parseUrl(env.GITHUB_SERVER_URL);
  const kind = serverKind(env, url);
  return { kind, name: `${servers[kind].label} ${describeUrl(env.GITHUB_SERVER_URL, url)}`, ...servers[kind] };
}
function serverKind(env, url) {
  if (env.FORGEJO_ACTIONS === "true") return "forgejo";
  if (env.GITEA_ACTIONS === "true") return "gitea";
  return url !== void 0 && isEnterpriseServerHost(url.hostname) ? "enterprise-server" : "github";
}
function isEnterpriseServerHost(hostname) {
  const host = hostname.trimEnd().toUpperCase();
  return host !== "GITHUB.COM" && !host.endsWith(".GHE.COM") && !host.endsWith(".LOCALHOST");
}
function parseUrl(text) {
  if (text === void 0 || text === "") return void 0;
  try {
    return new URL(text);
  } catch {
    return void 0;
  }
}
function describeUrl(text, url) {
  if (url !== void 0) return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  return text === void 0 || text === "" ? "(GITHUB_SERVER_URL is not set)" : `(GITHUB_SERVER_URL ${JSON.stringify(text)})`;
}

// src/errors.ts
var longestQuotedValue = 200;
function quote(value) {
  const shown = value.length > longestQuotedValue ? `${value.slice(0, longestQuotedValue)}\u2026` : value;
  return JSON.stringify(shown);
}
var UserError = class extends Error {
  subject;
  problem;
  fix;
  constructor(subject, problem, fix, options) {
    super(`${subject}: ${problem}${fix ? ` ${fix}` : ""}`, options);
    this.name = "UserError";
    this.subject = subject;
    this.problem = problem;
    this.fix = fix;
  }
};
var UserErrors = class extends UserError {
  errors;
  constructor(errors) {
    super(`${errors.length} of the images failed`, errors.map((error) => `
  - ${error.message}`).join(""), "");
    this.errors = errors;
  }
};
var adviceTable = [
  {
    code: "DENIED",
    method: "write",
    fix: "The credentials may read but not push to this repository: log in (docker/login-action) as a user with push access."
  },
  {
    code: "DENIED",
    fix: "The credentials have no access to this repository: log in (docker/login-action) as a user who may pull and push it."
  },
  {
    code: "UNAUTHORIZED",
    fix: "Log in to this registry before this step (docker/login-action), and check the username and password or token."
  },
  {
    code: "CREDENTIALS",
    fix: "Fix the Docker credentials configuration (DOCKER_CONFIG or ~/.docker/config.json) or the credential helper it names."
  },
  {
    code: "UNREACHABLE",
    fix: "Check the registry host name and port in `images`, and that the runner can reach it."
  },
  {
    code: "INSECURE",
    fix: "Use an HTTPS registry, or list the host in `insecure-registries` if it really serves plain HTTP."
  },
  {
    code: "TOO_MANY_REQUESTS",
    fix: "The registry is rate-limiting this runner: log in (authenticated limits are higher) or retry later."
  },
  {
    code: "NOT_FOUND",
    method: "write",
    registryCode: "NAME_UNKNOWN",
    fix: "The repository does not exist and this registry does not create repositories on push: create it first."
  },
  {
    code: "NOT_FOUND",
    method: "write",
    registryCode: "MANIFEST_BLOB_UNKNOWN",
    fix: "This step wrote what the registry says it lacks just before, and the registry still does not show it after waiting: re-run the job, and report it to the registry operator if it persists."
  },
  {
    code: "NOT_FOUND",
    fix: "Check that the build jobs pushed this image to this repository, and that nothing deleted it since (untagged-image cleanup jobs delete per-platform children)."
  },
  {
    code: "DIGEST_MISMATCH",
    fix: "The registry returned content that does not match its digest; retry, and report it to the registry operator if it persists."
  },
  {
    code: "REJECTED",
    fix: "The registry refused the content; its own message above says why."
  },
  { code: "SERVER_ERROR", fix: "The registry failed; retry the job later." }
];
function explain(error, subject, context = {}) {
  if (!(error instanceof OciError)) return error;
  const method = context.writing ? "write" : "read";
  const advice = [...profileOf(error.family).advice, ...adviceTable].find(
    (row) => row.code === error.code && (row.method === void 0 || row.method === method) && (row.registryCode === void 0 || error.registryCodes.includes(row.registryCode))
  );
  return new UserError(subject, describe(error), advice?.fix ?? "", { cause: error });
}
function describe(error) {
  const request = error.method && error.url ? ` (${error.method} ${error.url}${error.status ? ` \u2192 ${error.status}` : ""})` : "";
  const codes = error.registryCodes.length > 0 ? ` [${error.registryCodes.join(", ")}]` : "";
  return `${error.message}${codes}${request}.`;
}
function asUserError(error, subject, writing) {
  const explained = explain(error, subject, { writing });
  if (explained instanceof UserError) return explained;
  throw explained;
}

// src/github/logger.ts
function actionsLogger() {
  return {
    debug: (message) => debug(message),
    info: (message) => info(message),
    warning: (message) => warning(message),
    group: (title, work) => group(title, work),
    secret: (value) => {
      const parts = /* @__PURE__ */ new Set([value, ...value.split(/\r?\n/).map((line) => line.trim())]);
      for (const part of parts) if (part !== "") setSecret(part);
    }
  };
}

// src/github/run.ts
function runnerFacts(env) {
  const id = env["GITHUB_RUN_ID"];
  const attempt = Number(env["GITHUB_RUN_ATTEMPT"] ?? "1");
  const job = env["GITHUB_JOB"];
  const run = id ? { id, attempt: Number.isInteger(attempt) && attempt >= 1 ? attempt : 1, ...job ? { job } : {} } : void 0;
  const tempDir = env["RUNNER_TEMP"] || void 0;
  return { ...run ? { run } : {}, onRunner: env["GITHUB_ACTIONS"] === "true", ...tempDir ? { tempDir } : {} };
}
async function runAction(main, options = {}) {
  try {
    const context = actionContext();
    for (const name of options.secretInputs ?? []) maskSecretInput(context.input(name), context.logger);
    await main(context);
  } catch (error) {
    reportFailure(error);
  }
}
function maskSecretInput(raw, logger) {
  for (const line of raw.split(/\r?\n/)) {
    const equals = line.indexOf("=");
    const parts = [line, equals >= 0 ? line.slice(equals + 1) : ""].map((part) => part.trim());
    for (const part of parts) {
      logger.secret(part);
      logger.secret(part.replace(/^"+|"+$/g, ""));
    }
  }
}
function actionContext() {
  return {
    input: (name) => getInput(name),
    logger: actionsLogger(),
    env: process.env,
    runner: runnerFacts(process.env),
    setOutput: (name, value) => setOutput(name, value),
    appendSummary,
    report: async ({ outputs, summary: summary2 }) => {
      for (const [name, value] of Object.entries(outputs)) setOutput(name, value);
      await appendSummary(summary2);
    }
  };
}
async function appendSummary(markdown) {
  if (!process.env["GITHUB_STEP_SUMMARY"]) {
    process.stdout.write(markdown.endsWith("\n") ? markdown : `${markdown}
`);
    return;
  }
  await summary.addRaw(markdown, true).write();
}
function reportFailure(error) {
  if (error instanceof UserError) {
    setFailed(error.message);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.stack) debug(error.stack);
  setFailed(`unexpected error: ${message}; please report it with the debug log`);
}

// src/markdown.ts
var lineBreak = /\r\n|\r|\n/g;
var backtickRuns = /`+/g;
function codeSpan(text) {
  if (text === "") return "";
  const flat = text.replace(lineBreak, " ");
  const fence = "`".repeat(longestBacktickRun(flat) + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || /^ .*[^ ].* $/.test(flat) ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}
function codeBlock(text, language = "") {
  const fence = "`".repeat(Math.max(3, longestBacktickRun(text) + 1));
  const body = text.endsWith("\n") ? text : `${text}
`;
  return `${fence}${language}
${body}${fence}`;
}
function markdownTable(header, rows) {
  rows.forEach((row, index) => {
    if (row.length > header.length) {
      throw new Error(`markdownTable: row ${index} has ${row.length} cells but the header has ${header.length}`);
    }
  });
  const line = (cells) => `| ${header.map((_, column) => escapeCell(cells[column] ?? "")).join(" | ")} |`;
  return [line(header), `|${header.map(() => " --- ").join("|")}|`, ...rows.map(line)].join("\n");
}
function escapeCell(cell) {
  if (!/[`|\r\n]/.test(cell)) return cell;
  return splitCodeSpans(cell).map(({ text, isCode }) => text.replace(lineBreak, isCode ? " " : "<br>")).join("").replaceAll("|", "\\|");
}
function splitCodeSpans(cell) {
  const segments = [];
  let textStart = 0;
  let position = 0;
  for (let opening = nextRun(cell, position); opening; opening = nextRun(cell, position)) {
    const afterOpening = opening.index + opening.length;
    const closeAt = findClosingRun(cell, afterOpening, opening.length);
    if (closeAt < 0) {
      position = afterOpening;
      continue;
    }
    const end = closeAt + opening.length;
    segments.push({ text: cell.slice(textStart, opening.index), isCode: false });
    segments.push({ text: cell.slice(opening.index, end), isCode: true });
    textStart = position = end;
  }
  segments.push({ text: cell.slice(textStart), isCode: false });
  return segments;
}
function findClosingRun(text, from, length) {
  for (let run = nextRun(text, from); run; run = nextRun(text, run.index + run.length)) {
    if (run.length === length) return run.index;
  }
  return -1;
}
function nextRun(text, from) {
  const index = text.indexOf("`", from);
  if (index < 0) return void 0;
  let end = index + 1;
  while (text[end] === "`") end++;
  return { index, length: end - index };
}
function longestBacktickRun(text) {
  return (text.match(backtickRuns) ?? []).reduce((longest, run) => Math.max(longest, run.length), 0);
}

// src/oci/platform.ts
function words(text) {
  return text.trim().split(/\s+/);
}
var knownOperatingSystems = words(`
  aix android darwin dragonfly freebsd hurd illumos ios js linux macos nacl netbsd openbsd plan9 solaris wasip1 windows zos
`);
var knownArchitectures = words(`
  386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le
  ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm
  x86_64 x86-64 aarch64 armhf armel i386
`);
var specifierPattern = /^([^/()]+)(?:\(([^()/]*)\))?\/([^/()]+)(?:\/([^/()]+))?$/;
var partPattern = /^[a-z0-9_.-]+$/;
function invalid2(input, reason) {
  return new OciError({ code: "INVALID_PLATFORM", message: `invalid platform ${JSON.stringify(input)}: ${reason}` });
}
function unknown(kind, value, input, known) {
  return new OciError({
    code: "INVALID_PLATFORM",
    message: `unknown ${kind} ${JSON.stringify(value)} in platform ${JSON.stringify(input)} (known: ${known.join(", ")})`
  });
}
function checkPart(input, part) {
  const lowered = (part ?? "").toLowerCase();
  if (partPattern.test(lowered)) return lowered;
  throw invalid2(input, `${JSON.stringify(part)} has characters outside [a-z0-9_.-]`);
}
function decodeOption(input, value) {
  try {
    return decodeURIComponent(value);
  } catch {
    throw invalid2(input, `${JSON.stringify(value)} has a malformed %-escape`);
  }
}
function parseOsOptions(input, options) {
  if (options === void 0) return {};
  const [version = "", ...features] = options.split("+").map((part) => decodeOption(input, part));
  if (features.some((feature) => feature === "")) throw invalid2(input, "an os feature is empty");
  return {
    ...version === "" ? {} : { "os.version": version },
    ...features.length === 0 ? {} : { "os.features": features }
  };
}
function parsePlatform(input) {
  const match = specifierPattern.exec(input);
  if (match === null) throw invalid2(input, "expected os/architecture[/variant], e.g. linux/arm64 or linux/arm/v7");
  const [os, architecture] = [checkPart(input, match[1]), checkPart(input, match[3])];
  const variant = match[4] === void 0 ? void 0 : checkPart(input, match[4]);
  if (!knownOperatingSystems.includes(os)) throw unknown("operating system", match[1], input, knownOperatingSystems);
  if (!knownArchitectures.includes(architecture)) throw unknown("architecture", match[3], input, knownArchitectures);
  return { os, architecture, ...variant === void 0 ? {} : { variant }, ...parseOsOptions(input, match[2]) };
}
function normalizeArchitecture(architecture, variant) {
  switch (architecture) {
    case "i386":
      return { architecture: "386", variant: "" };
    case "x86_64":
    case "x86-64":
    case "amd64":
      return { architecture: "amd64", variant: variant === "v1" ? "" : variant };
    case "aarch64":
    case "arm64":
      return { architecture: "arm64", variant: normalizeArm64Variant(variant) };
    case "armhf":
      return { architecture: "arm", variant: "v7" };
    case "armel":
      return { architecture: "arm", variant: "v6" };
    case "arm":
      return { architecture: "arm", variant: normalizeArmVariant(variant) };
    default:
      return { architecture, variant };
  }
}
function normalizeArm64Variant(variant) {
  if (["8", "v8", "v8.0"].includes(variant)) return "";
  if (["9", "9.0", "v9.0"].includes(variant)) return "v9";
  return variant;
}
function normalizeArmVariant(variant) {
  if (variant === "" || variant === "7") return "v7";
  if (["5", "6", "8"].includes(variant)) return `v${variant}`;
  return variant;
}
function normalizePlatform(platform) {
  const os = platform.os.toLowerCase();
  const normalized = normalizeArchitecture(platform.architecture.toLowerCase(), (platform.variant ?? "").toLowerCase());
  const features = [...new Set(platform["os.features"] ?? [])].sort();
  return {
    os: os === "macos" ? "darwin" : os,
    architecture: normalized.architecture,
    ...normalized.variant === "" ? {} : { variant: normalized.variant },
    ...platform["os.version"] ? { "os.version": platform["os.version"] } : {},
    ...features.length === 0 ? {} : { "os.features": features }
  };
}
function escapeOption(value) {
  return value.replace(/[%+()/]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}
function formatOsOptions(platform) {
  const version = platform["os.version"] ?? "";
  const features = platform["os.features"] ?? [];
  if (version === "" && features.length === 0) return "";
  return `(${[version, ...features].map(escapeOption).join("+")})`;
}
function formatPlatform(platform) {
  const os = platform.os === "" ? "unknown" : platform.os;
  const variant = platform.variant ? `/${platform.variant}` : "";
  return `${os}${formatOsOptions(platform)}/${platform.architecture}${variant}`;
}
function platformKey(platform) {
  return formatPlatform(normalizePlatform(platform));
}
function compareText(a, b) {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
function compareVersions(a, b) {
  const aParts = a.split(".");
  const bParts = b.split(".");
  for (let i = 0; i < Math.max(aParts.length, bParts.length); i++) {
    const [aPart = "", bPart = ""] = [aParts[i], bParts[i]];
    const numeric = /^\d+$/.test(aPart) && /^\d+$/.test(bPart);
    const order = numeric ? Math.sign(Number(aPart) - Number(bPart)) : compareText(aPart, bPart);
    if (order !== 0) return order;
  }
  return 0;
}
function compareOsVersionsNewestFirst(a, b) {
  if (a === b) return 0;
  if (a === void 0) return 1;
  if (b === void 0) return -1;
  return compareVersions(b, a);
}
function variantOrder(normalized) {
  const variant = normalized.variant ?? "";
  return variant === (normalizeArchitecture(normalized.architecture, "").variant ?? "") ? "" : variant;
}
function comparePlatforms(a, b) {
  const [na, nb] = [normalizePlatform(a), normalizePlatform(b)];
  return compareText(na.os, nb.os) || compareText(na.architecture, nb.architecture) || compareText(variantOrder(na), variantOrder(nb)) || compareOsVersionsNewestFirst(na["os.version"], nb["os.version"]) || compareText((na["os.features"] ?? []).join("+"), (nb["os.features"] ?? []).join("+")) || compareText(formatPlatform(a), formatPlatform(b));
}

// src/records/naming.ts
import { createHash as createHash2 } from "node:crypto";
var namePrefix = "multiarch-publish-";
var setHashLength = 16;
function canonicalRepository2(image) {
  try {
    return formatRepository(parseRepository(image));
  } catch (error) {
    if (!(error instanceof OciError)) throw error;
    throw new UserError("images", `${error.message}.`, "List repositories as registry/path, without tag or digest.", {
      cause: error
    });
  }
}
function recordSetName(images) {
  if (images.length === 0) throw new Error("recordSetName needs at least one image");
  const repositories = [...new Set(images.map(canonicalRepository2))].sort();
  const hash = createHash2("sha256").update(repositories.join("\n")).digest("hex");
  return `${namePrefix}${hash.slice(0, setHashLength)}`;
}
function platformPair(platform) {
  const parts = [platform.os, platform.architecture, platform.variant, platform["os.version"]];
  return parts.filter((part) => part !== void 0 && part !== "").join("-").toLowerCase().replace(/[^a-z0-9._-]/g, "-").replace(/\.{2,}/g, ".");
}
function recordName(images, platform) {
  return `${recordSetName(images)}-${platformPair(platform)}`;
}
function isRecordOf(name, images) {
  return name.startsWith(`${recordSetName(images)}-`);
}
function isAnyRecordName(name) {
  return name.startsWith(namePrefix);
}

// src/csv.ts
function splitCsvRecords(text) {
  const records = [];
  let fields = [];
  let field = "";
  let quoting = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const character = text[i];
    if (quoting) {
      if (character !== '"') {
        field += character;
      } else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        quoting = false;
        if (!isFieldEnd(text[i + 1])) field = `"${field}"`;
      }
    } else if (character === '"' && field === "" && !wasQuoted) {
      quoting = wasQuoted = true;
    } else if (character === ",") {
      fields.push(field);
      [field, wasQuoted] = ["", false];
    } else if (character === "\n" || character === "\r") {
      if (character === "\r" && text[i + 1] === "\n") i++;
      if (fields.length > 0 || field !== "" || wasQuoted) records.push([...fields, field]);
      [fields, field, wasQuoted] = [[], "", false];
    } else {
      field += character;
    }
  }
  if (quoting) return void 0;
  if (fields.length > 0 || field !== "" || wasQuoted) records.push([...fields, field]);
  return records;
}
function isFieldEnd(character) {
  return character === void 0 || character === "," || character === "\n" || character === "\r";
}

// src/inputs.ts
function parseList(name, raw, options = {}) {
  const text = raw.trim();
  const records = splitCsvRecords(text);
  if (records === void 0) {
    throw new UserError(
      name,
      options.sensitive ? "has a double quote that is never closed." : `has a double quote that is never closed: ${quote(text)}.`,
      'Close the quote with a second `"`; quotes are only needed around an item that holds a comma or a line break.'
    );
  }
  const items = [];
  for (const record of records) {
    if (options.ignoreComma) items.push(record.join(","));
    else if (record.length === 1) items.push(...(record[0] ?? "").split(","));
    else items.push(...record);
  }
  return items.map((item) => item.trim()).filter((item) => item !== "");
}
var trueWords = ["true", "True", "TRUE"];
var falseWords = ["false", "False", "FALSE"];
function parseBoolean(name, raw, fallback) {
  const value = raw.trim();
  if (value === "") return fallback;
  if (trueWords.includes(value)) return true;
  if (falseWords.includes(value)) return false;
  throw new UserError(name, `${quote(value)} is not a boolean.`, "Use true or false.");
}
function requireValue(name, raw) {
  const value = raw.trim();
  if (value === "") throw new UserError(name, "is required but is empty.", `Set \`${name}\` in the step's \`with:\`.`);
  return value;
}
function parseInputValue(name, value, parse, fix) {
  try {
    return parse(value);
  } catch (error) {
    if (error instanceof OciError) throw new UserError(name, `${error.message}.`, fix, { cause: error });
    throw error;
  }
}
var platformFix = "Write a platform as os/architecture[/variant], e.g. linux/amd64 or linux/arm/v7.";
function parsePlatformInput(name, item) {
  return parseInputValue(name, item, parsePlatform, platformFix);
}
function parsePlatformList(name, raw) {
  const seen = /* @__PURE__ */ new Map();
  return parseList(name, raw).map((item) => {
    const platform = parsePlatformInput(name, item);
    const earlier = seen.get(platformKey(platform));
    if (earlier !== void 0) {
      throw new UserError(name, `${quote(item)} is the same platform as ${quote(earlier)}.`, "List it once.");
    }
    seen.set(platformKey(platform), item);
    return platform;
  });
}
function parseImage(name, item) {
  const fix = "Write each image as a repository, e.g. ghcr.io/owner/app or docker.io/owner/app.";
  const reference = parseInputValue(name, item, parseReference, fix);
  const repository = formatRepository(reference);
  if (reference.tag !== void 0) {
    throw new UserError(
      name,
      `${quote(item)} has the tag ${quote(reference.tag)}, but images are repositories without tags.`,
      `Write ${quote(repository)} here and put ${quote(reference.tag)} in the merge step's \`tags\`.`
    );
  }
  if (reference.digest !== void 0) {
    throw new UserError(
      name,
      `${quote(item)} has a digest, but images are repositories.`,
      `Write ${quote(repository)}: the digests come from the build jobs' records.`
    );
  }
  return { registry: reference.registry, path: reference.path };
}
function parseImages(name, raw) {
  return uniqueBy(
    parseList(name, raw).map((item) => parseImage(name, item)),
    formatRepository
  );
}
function uniqueBy(items, key) {
  const seen = /* @__PURE__ */ new Set();
  return items.filter((item) => {
    const itemKey = key(item);
    if (seen.has(itemKey)) return false;
    seen.add(itemKey);
    return true;
  });
}
function invalidTag(item) {
  const suggestion = item.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[.-]+/, "").slice(0, 128);
  return new UserError(
    "tags",
    `${quote(item)} is not a valid tag (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-').`,
    isValidTag(suggestion) ? `Fix the tag, e.g. ${quote(suggestion)}.` : "Fix the tag."
  );
}
function parseTag(item) {
  if (isValidTag(item)) return { tag: item };
  if (!/[:/@]/.test(item)) throw invalidTag(item);
  const fix = "Write a tag such as 1.2.3, or a full reference such as ghcr.io/owner/app:1.2.3.";
  const reference = parseInputValue("tags", item, parseReference, fix);
  if (reference.digest !== void 0) {
    throw new UserError("tags", `${quote(item)} has a digest, which cannot be a tag.`, fix);
  }
  if (reference.tag === void 0) {
    throw new UserError(
      "tags",
      `${quote(item)} names a repository but no tag.`,
      `Put the repository in \`images\` and only the tag here, or write ${quote(`${item}:latest`)}.`
    );
  }
  return { tag: reference.tag, repository: { registry: reference.registry, path: reference.path } };
}
function tagsFromMetadataJson(text) {
  const fix = "Pass docker/metadata-action's `json` output unchanged (steps.<id>.outputs.json), or list the tags.";
  let json;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError("tags", `starts with "{" but is not valid JSON (${reason}): ${quote(text)}.`, fix);
  }
  const tags = typeof json === "object" && json !== null ? json.tags : void 0;
  if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === "string")) {
    throw new UserError("tags", `is JSON without a "tags" array of strings: ${quote(text)}.`, fix);
  }
  if (tags.length === 0) {
    throw new UserError(
      "tags",
      `is docker/metadata-action JSON with no tags ("tags": []).`,
      "Check its `tags:` rules: none of them produced a tag for this event."
    );
  }
  return tags.map((tag) => tag.trim()).filter((tag) => tag !== "");
}
function parseTagItems(raw) {
  const text = raw.trim();
  return text.startsWith("{") ? tagsFromMetadataJson(text) : parseList("tags", text);
}
function tagKey(target) {
  return `${target.repository ? formatRepository(target.repository) : ""}:${target.tag}`;
}
function checkTagRepositories(images, tags) {
  const known = new Set(images.map(formatRepository));
  for (const [item, target] of tags) {
    if (!target.repository || known.has(formatRepository(target.repository))) continue;
    const repository = formatRepository(target.repository);
    throw new UserError(
      "tags",
      `${quote(item)} is for ${quote(repository)}, which is not in images (${[...known].join(", ")}).`,
      `Add ${quote(repository)} to \`images\`, or write the tag without a repository.`
    );
  }
}
function parseImagesAndTags(rawImages, rawTags) {
  const images = parseImages("images", rawImages);
  const parsed = uniqueBy(
    parseTagItems(rawTags).map((item) => [item, parseTag(item)]),
    ([, target]) => tagKey(target)
  );
  const tags = parsed.map(([, target]) => target);
  if (tags.length === 0) {
    throw new UserError(
      "tags",
      "is empty, but the index needs at least one tag.",
      "List the tags, e.g. latest, or pass docker/metadata-action's `json` output."
    );
  }
  if (images.length > 0) {
    checkTagRepositories(images, parsed);
    images.forEach((image) => requireTagsFor(image, tags));
    return { images, tags };
  }
  const plain = tags.find((target) => target.repository === void 0);
  if (plain) {
    throw new UserError(
      "images",
      `is empty, so the tag ${quote(plain.tag)} names no repository.`,
      "List the repositories in `images`, e.g. ghcr.io/owner/app, or write every tag as ghcr.io/owner/app:1.2.3."
    );
  }
  const repositories = tags.flatMap((target) => target.repository ? [target.repository] : []);
  return { images: uniqueBy(repositories, formatRepository), tags };
}
function requireTagsFor(repository, tags) {
  const reference = formatRepository(repository);
  const own = tags.filter((each) => each.repository === void 0 || formatRepository(each.repository) === reference);
  if (own.length > 0) return [...new Set(own.map((each) => each.tag))];
  throw new UserError(
    "tags",
    `has no tag for the image ${quote(reference)}: every tag names another repository.`,
    `Add a tag for it, e.g. ${quote(`${reference}:latest`)}, or remove it from images.`
  );
}
function parseInsecureRegistry(item) {
  const name = "insecure-registries";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(item)) {
    const host = item.replace(/^[^:]+:\/\//, "").replace(/\/.*$/, "");
    throw new UserError(name, `${quote(item)} is a URL.`, `Write the registry as host[:port], e.g. ${quote(host)}.`);
  }
  const fix = "Write the registry as it appears in `images`, e.g. localhost:5000 or registry.internal:5000.";
  return parseInputValue(name, item, parseRegistryName, fix);
}
function parseInsecureRegistries(raw) {
  return [...new Set(parseList("insecure-registries", raw).map(parseInsecureRegistry))];
}
function parseAttestations(raw) {
  const value = raw.trim();
  if (value === "" || value === "keep") return "keep";
  if (value === "drop") return "drop";
  throw new UserError("attestations", `${quote(value)} is neither keep nor drop.`, "Use keep (the default) or drop.");
}
function optionalValue(raw) {
  const value = raw.trim();
  return value === "" ? void 0 : value;
}

export {
  OciError,
  isOciError,
  redactUrl,
  responseError,
  registryApiHost,
  credentialKey,
  profileOf,
  profileForHost,
  profileForChallenge,
  allProfiles,
  quote,
  UserError,
  UserErrors,
  explain,
  asUserError,
  sha256Digest,
  isValidDigest,
  parseDigest,
  verifyingStream,
  parseRepository,
  formatRepository,
  isLoopbackRegistry,
  repositoryScope,
  parsePlatform,
  normalizePlatform,
  formatPlatform,
  platformKey,
  comparePlatforms,
  platformPair,
  recordName,
  isRecordOf,
  isAnyRecordName,
  actionsServer,
  runAction,
  parseList,
  parseBoolean,
  requireValue,
  parseInputValue,
  parsePlatformInput,
  parsePlatformList,
  parseImages,
  parseImagesAndTags,
  requireTagsFor,
  parseInsecureRegistries,
  parseAttestations,
  optionalValue,
  codeSpan,
  codeBlock,
  markdownTable
};
