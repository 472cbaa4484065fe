import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  OciError,
  UserError,
  UserErrors,
  actionsServer,
  allProfiles,
  asUserError,
  codeBlock,
  comparePlatforms,
  credentialKey,
  explain,
  formatPlatform,
  formatRepository,
  isAnyRecordName,
  isLoopbackRegistry,
  isOciError,
  isRecordOf,
  isValidDigest,
  markdownTable,
  normalizePlatform,
  parseRepository,
  platformKey,
  profileForChallenge,
  profileForHost,
  profileOf,
  quote,
  redactUrl,
  registryApiHost,
  repositoryScope,
  requireTagsFor,
  responseError,
  sha256Digest,
  verifyingStream
} from "./chunk-JHWYCVPX.js";
import {
  require_undici
} from "./chunk-MF7XEEV7.js";
import {
  __toESM
} from "./chunk-WP646LUM.js";

// src/records/directory.ts
import { constants } from "node:fs";
import { access, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";

// src/oci/mediatype.ts
var MediaType = {
  ociIndex: "application/vnd.oci.image.index.v1+json",
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociConfig: "application/vnd.oci.image.config.v1+json",
  ociEmpty: "application/vnd.oci.empty.v1+json",
  dockerManifestList: "application/vnd.docker.distribution.manifest.list.v2+json",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerConfig: "application/vnd.docker.container.image.v1+json"
};
var manifestAccept = [
  MediaType.ociIndex,
  MediaType.ociManifest,
  MediaType.dockerManifestList,
  MediaType.dockerManifest
].join(", ");
function isIndex(mediaType) {
  return mediaType === MediaType.ociIndex || mediaType === MediaType.dockerManifestList;
}
function isImageManifest(mediaType) {
  return mediaType === MediaType.ociManifest || mediaType === MediaType.dockerManifest;
}
function isDockerType(mediaType) {
  return mediaType.startsWith("application/vnd.docker.");
}
var attestationAnnotation = {
  type: "vnd.docker.reference.type",
  digest: "vnd.docker.reference.digest",
  attestationManifest: "attestation-manifest"
};
function isAttestation(descriptor) {
  return descriptor.annotations?.[attestationAnnotation.type] === attestationAnnotation.attestationManifest;
}

// src/records/record.ts
var recordSchema = "multiarch-publish/digest-record";
var recordVersion = 1;
var manifestMediaTypes = [
  MediaType.ociIndex,
  MediaType.ociManifest,
  MediaType.dockerManifestList,
  MediaType.dockerManifest
];
var rewriteFix = "Re-run the build job that wrote it: records are written by the build action and are not edited by hand.";
var longestShownValue = 120;
function show(value) {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > longestShownValue ? `${text.slice(0, longestShownValue)}\u2026` : text;
}
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function fieldError(source, field, value, expected) {
  const found = value === void 0 ? `has no "${field}"` : `has "${field}" ${show(value)}`;
  return new UserError(source, `${found}; expected ${expected}.`, rewriteFix);
}
function parseJson(text, source) {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(source, `is not valid JSON (${reason}): ${show(text)}.`, rewriteFix, { cause: error });
  }
}
function checkSchemaAndVersion(json, source) {
  const schema = isObject(json) ? json.schema : void 0;
  if (!isObject(json) || schema !== recordSchema) {
    const found = !isObject(json) ? `it is ${show(json)}` : schema === void 0 ? 'it has no "schema"' : `its "schema" is ${show(schema)}`;
    throw new UserError(
      source,
      `is not a multiarch-publish digest record (${found}, expected ${show(recordSchema)}).`,
      "Keep only the build jobs' digest records where the merge reads them (download only their artifacts into records-path)."
    );
  }
  const version = json.version;
  if (version === recordVersion) return json;
  if (typeof version !== "number" || !Number.isInteger(version)) {
    throw fieldError(source, "version", version, `the number ${recordVersion}`);
  }
  const age = version > recordVersion ? "newer" : "older";
  throw new UserError(
    source,
    `was written by a ${age} version of multiarch-publish (record version ${version}; this one reads version ${recordVersion}).`,
    "Use the same multiarch-publish version in the build jobs and in the merge job."
  );
}
function optionalString(source, object, field, prefix) {
  const value = object[field];
  if (value === void 0 || typeof value === "string") return value;
  throw fieldError(source, `${prefix}${field}`, value, "a string");
}
function requiredString(source, object, field, prefix = "") {
  const value = object[field];
  if (typeof value === "string" && value !== "") return value;
  throw fieldError(source, `${prefix}${field}`, value, "a non-empty string");
}
function parsePlatformField(source, value) {
  if (!isObject(value)) throw fieldError(source, "platform", value, 'an object with "os" and "architecture"');
  const features = value["os.features"];
  if (features !== void 0 && !(Array.isArray(features) && features.every((item) => typeof item === "string"))) {
    throw fieldError(source, "platform.os.features", features, "an array of strings");
  }
  const variant = optionalString(source, value, "variant", "platform.");
  const osVersion = optionalString(source, value, "os.version", "platform.");
  return {
    os: requiredString(source, value, "os", "platform."),
    architecture: requiredString(source, value, "architecture", "platform."),
    ...variant === void 0 ? {} : { variant },
    ...osVersion === void 0 ? {} : { "os.version": osVersion },
    ...features === void 0 ? {} : { "os.features": features }
  };
}
function parseImagesField(source, value) {
  if (!Array.isArray(value) || value.length === 0) {
    throw fieldError(source, "images", value, "a non-empty array of repository names");
  }
  return value.map((image) => {
    if (typeof image !== "string") throw fieldError(source, "images", value, "an array of repository names");
    try {
      return formatRepository(parseRepository(image));
    } catch (error) {
      if (!(error instanceof OciError)) throw error;
      throw new UserError(source, `has an invalid entry in "images": ${error.message}.`, rewriteFix, { cause: error });
    }
  });
}
function parseRunField(source, value) {
  if (value === void 0) return void 0;
  if (!isObject(value)) throw fieldError(source, "run", value, 'an object with "id" and "attempt"');
  const attempt = value.attempt;
  if (typeof attempt !== "number" || !Number.isInteger(attempt) || attempt < 1) {
    throw fieldError(source, "run.attempt", attempt, "an integer of at least 1");
  }
  const job = optionalString(source, value, "job", "run.");
  return { id: requiredString(source, value, "id", "run."), attempt, ...job === void 0 ? {} : { job } };
}
function parseDigestField(source, value) {
  if (typeof value === "string" && isValidDigest(value)) return value;
  throw fieldError(source, "digest", value, 'a digest such as "sha256:" followed by 64 lowercase hex digits');
}
function parseSizeField(source, value) {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return value;
  throw fieldError(source, "size", value, "a positive integer (bytes)");
}
function parseMediaTypeField(source, value) {
  if (typeof value === "string" && manifestMediaTypes.includes(value)) return value;
  throw fieldError(source, "mediaType", value, `one of ${manifestMediaTypes.map((type) => show(type)).join(", ")}`);
}
function parseRecord(text, source) {
  const json = checkSchemaAndVersion(parseJson(text, source), source);
  return createRecord({
    digest: parseDigestField(source, json.digest),
    mediaType: parseMediaTypeField(source, json.mediaType),
    size: parseSizeField(source, json.size),
    platform: parsePlatformField(source, json.platform),
    images: parseImagesField(source, json.images),
    run: parseRunField(source, json.run)
  });
}
function orderedPlatform(platform) {
  return {
    os: platform.os,
    architecture: platform.architecture,
    ...platform.variant === void 0 ? {} : { variant: platform.variant },
    ...platform["os.version"] === void 0 ? {} : { "os.version": platform["os.version"] },
    ...platform["os.features"] === void 0 ? {} : { "os.features": [...platform["os.features"]] }
  };
}
function createRecord(fields) {
  const run2 = fields.run;
  return {
    schema: recordSchema,
    version: recordVersion,
    digest: fields.digest,
    mediaType: fields.mediaType,
    size: fields.size,
    platform: orderedPlatform(fields.platform),
    images: [...fields.images],
    ...run2 === void 0 ? {} : { run: { id: run2.id, attempt: run2.attempt, ...run2.job === void 0 ? {} : { job: run2.job } } }
  };
}
function serializeRecord(record) {
  return `${JSON.stringify(createRecord(record), null, 2)}
`;
}

// src/records/replace.ts
function checkReplacement(existing, incoming) {
  const [before, now] = [existing.record.run, incoming.run];
  if (existing.record.digest === incoming.digest || before === void 0 || now === void 0) return;
  if (before.id !== now.id || now.attempt > before.attempt) return;
  throw new UserError(
    "platform",
    `${formatPlatform(incoming.platform)} was already recorded in this run attempt by another job (${existing.source}, ${existing.record.digest}); this job pushed ${incoming.digest}.`,
    "Build each platform in one job only: look for a platform listed twice in the matrix (Windows images for two OS versions need the version in platform, e.g. windows(10.0.20348)/amd64)."
  );
}

// src/records/directory.ts
var input = "records-path";
var temporaryFiles = 0;
function directoryRecordStore(path) {
  return {
    ready: () => makeWritable(path),
    put: (record, name) => putRecord(path, record, name),
    list: () => listRecords(path)
  };
}
async function makeWritable(directory) {
  try {
    await mkdir(directory, { recursive: true });
    await access(directory, constants.W_OK);
  } catch (error) {
    throw new UserError(
      input,
      `${JSON.stringify(directory)} is not a directory this job can write to (${errorCode(error)}).`,
      "Point records-path at a writable directory.",
      { cause: error }
    );
  }
}
function errorCode(error) {
  const code = error?.code;
  return typeof code === "string" ? code : String(error);
}
async function listRecords(directory) {
  await checkDirectory(directory);
  const files = (await findJsonFiles(directory)).sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
  const records = [];
  for (const file of files) records.push({ record: parseRecord(await readRecordFile(file), file), source: file });
  return records;
}
async function checkDirectory(directory) {
  const stats = await stat(directory).catch((error) => {
    if (errorCode(error) === "ENOENT") {
      throw new UserError(
        input,
        `${JSON.stringify(directory)} does not exist.`,
        "Download the build jobs' record artifacts into this folder before the merge (actions/download-artifact `path:`), or correct the path."
      );
    }
    throw new UserError(
      input,
      `${JSON.stringify(directory)} cannot be read (${errorCode(error)}).`,
      "Make it a readable directory.",
      {
        cause: error
      }
    );
  });
  if (!stats.isDirectory()) {
    throw new UserError(
      input,
      `${JSON.stringify(directory)} is not a directory.`,
      "Set it to the folder that holds the records."
    );
  }
}
async function findJsonFiles(directory) {
  const entries = await readdir(directory, { withFileTypes: true });
  const found = await Promise.all(
    entries.map(async (entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return findJsonFiles(path);
      return entry.name.endsWith(".json") ? [path] : [];
    })
  );
  return found.flat();
}
async function readRecordFile(file) {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new UserError(file, `cannot be read (${errorCode(error)}).`, "Make the records readable by this job.", {
      cause: error
    });
  }
}
function checkName(name) {
  if (name !== "" && !/[/\\\0]/.test(name) && !name.includes("..")) return;
  throw new UserError(
    input,
    `record name ${JSON.stringify(name)} is not a plain file name.`,
    'Use a name without "/", "\\", ".." or NUL characters.'
  );
}
async function putRecord(directory, record, name) {
  checkName(name);
  const file = join(directory, `${name}.json`);
  const existing = await readFile(file, "utf8").catch(() => void 0);
  if (existing !== void 0) checkReplacement({ record: parseRecord(existing, file), source: file }, record);
  const temporary2 = join(directory, `.${name}.${process.pid}.${++temporaryFiles}.tmp`);
  try {
    await mkdir(directory, { recursive: true });
    await writeFile(temporary2, serializeRecord(record));
    await rename(temporary2, file);
  } catch (error) {
    await rm(temporary2, { force: true }).catch(() => void 0);
    throw new UserError(
      input,
      `cannot write ${JSON.stringify(file)} (${errorCode(error)}).`,
      "Make records-path a directory this job can write to.",
      { cause: error }
    );
  }
}

// src/github/artifacts.ts
import { mkdir as mkdir2, mkdtemp, readFile as readFile2, rm as rm2 } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as join2 } from "node:path";

// src/concurrency.ts
async function mapLimited(items, limit, work) {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`mapLimited: limit must be a whole number \u2265 1, not ${limit}`);
  const settled = [];
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) {
      try {
        settled[index] = { status: "fulfilled", value: await work(items[index], index) };
      } catch (reason) {
        settled[index] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return valuesOrFailure(settled);
}
async function settleAll(work, combine = (failures) => failures[0]) {
  return valuesOrFailure(await Promise.allSettled(work), combine);
}
function valuesOrFailure(settled, combine = (failures) => failures[0]) {
  const failures = settled.flatMap((result) => result.status === "rejected" ? [result.reason] : []);
  if (failures.length > 0) throw combine(failures);
  return settled.map((result) => result.value);
}

// src/github/artifacts.ts
var downloadConcurrency = 5;
function artifactRecordStore(options) {
  return {
    ready: () => Promise.resolve(),
    put: (record, name) => putRecord2(options, record, name),
    list: () => listRecords2(options)
  };
}
function temporaryDirectory(env) {
  return mkdtemp(join2(env.RUNNER_TEMP || tmpdir(), "multiarch-publish-records-"));
}
function checkName2(name) {
  if (name !== "" && !/[":<>|*?\r\n\\/]/.test(name)) return;
  throw new Error(
    `artifact name ${JSON.stringify(name)} is empty or holds a character artifacts refuse: name records with recordName()`
  );
}
async function putRecord2(options, record, name) {
  checkName2(name);
  const { transport, logger } = options;
  const directory = await temporaryDirectory(options.env);
  try {
    const previous = await transport.find(name);
    if (previous !== void 0) {
      checkReplacement(await readRecord(transport, previous, join2(directory, "previous")), record);
      await transport.release(previous);
      logger.info(`Replacing artifact "${name}", left by an earlier attempt of this job.`);
    }
    const upload = join2(directory, "upload");
    await mkdir2(upload);
    await transport.upload(name, record, upload);
    logger.info(`Stored the digest record as artifact "${name}".`);
  } finally {
    await rm2(directory, { recursive: true, force: true });
  }
}
var byName = (a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
async function listRecords2(options) {
  const artifacts = await options.transport.list();
  const records = artifacts.filter((artifact) => isRecordOf(artifact.name, options.images)).sort(byName);
  const directory = await temporaryDirectory(options.env);
  try {
    if (records.length === 0) await refuseOtherImageSets(options, artifacts, directory);
    return await mapLimited(
      records,
      downloadConcurrency,
      (artifact, index) => readRecord(options.transport, artifact, join2(directory, String(index)))
    );
  } finally {
    await rm2(directory, { recursive: true, force: true });
  }
}
async function refuseOtherImageSets(options, artifacts, directory) {
  const other = artifacts.filter((artifact) => isAnyRecordName(artifact.name)).sort(byName)[0];
  if (other === void 0) return;
  const { record, source } = await readRecord(options.transport, other, join2(directory, "other"));
  throw new UserError(
    "images",
    `has no record in this run: its records are found by the image set (${options.images.join(", ")}), and the run's records are of other sets, e.g. ${source} of ${record.images.join(", ")}.`,
    "List the same images in the build and in the merge (or publishing) step."
  );
}
async function readRecord(transport, artifact, directory) {
  const source = `artifact "${artifact.name}"`;
  await mkdir2(directory, { recursive: true });
  const file = await transport.download(artifact, directory);
  return { record: parseRecord(await readFile2(file, "utf8"), source), source };
}

// src/github/artifacts/current.ts
import { writeFile as writeFile2 } from "node:fs/promises";
import { join as join4 } from "node:path";

// src/github/artifacts/record-file.ts
import { readdir as readdir2 } from "node:fs/promises";
import { join as join3, relative, sep } from "node:path";
function attemptFolder(attempt) {
  return `attempt-${attempt}`;
}
var attemptPath = /^attempt-([1-9]\d*)\/([^/]+\.json)$/;
async function theOneRecordFile(directory, source) {
  const files = await filesUnder(directory);
  const [file] = files;
  if (files.length === 1 && file !== void 0 && file.endsWith(".json")) return file;
  throw notARecord(directory, files, source);
}
async function newestAttemptRecordFile(directory, source) {
  const files = await filesUnder(directory);
  const attempts = files.map((file2) => attemptPath.exec(relative(directory, file2).split(sep).join("/")));
  if (attempts.every((match) => match === null)) return theOneRecordFile(directory, source);
  const numbers = attempts.map((match) => match === null ? Number.NaN : Number(match[1]));
  const newest = Math.max(...numbers);
  const inNewest = files.filter((_file, index) => numbers[index] === newest);
  const [file] = inNewest;
  if (numbers.every(Number.isInteger) && inNewest.length === 1 && file !== void 0) return file;
  throw notARecord(directory, files, source);
}
async function filesUnder(directory) {
  const entries = await readdir2(directory, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join3(entry.parentPath, entry.name)).sort();
}
function notARecord(directory, files, source) {
  const found = files.length === 0 ? "no files" : files.map((path) => JSON.stringify(relative(directory, path))).join(", ");
  return new UserError(
    source,
    `is not a multiarch-publish digest record artifact: it holds ${found}, not exactly one .json file.`,
    'Give other artifacts names that do not start with "multiarch-publish-": those names belong to the build jobs\u2019 records.'
  );
}

// src/github/artifacts/transport.ts
var input2 = "records-path";
function checkRuntimeAccess(server, env, variables) {
  const missing = variables.filter((name) => !env[name]);
  if (missing.length === 0) return;
  throw new UserError(
    input2,
    `is empty and this step has no access to the run\u2019s artifacts on ${server.name} (${missing.join("/")} ${missing.length === 1 ? "is" : "are"} not set: not an Actions job?).`,
    recordsPathFix(server)
  );
}
function recordsPathFix(server) {
  const advice = recordsPathAdvice(server);
  return `${advice.charAt(0).toUpperCase()}${advice.slice(1)}`;
}
function recordsPathAdvice(server) {
  return `set records-path to a directory the build jobs write their records to and the merge job reads them from (on ${server.name}, move it between jobs with ${server.artifactActions}).`;
}
var temporary = "Artifact service failures are usually temporary: re-run the job";
function retryFix(server, lastingCause) {
  if (lastingCause !== void 0) {
    return `${temporary}. If it fails the same way, ${lastingCause}, or ${recordsPathAdvice(server)}`;
  }
  return server.kind === "github" ? `${temporary} (see https://www.githubstatus.com).` : `${temporary}.`;
}
function artifactFailure(name, verb, error, fix) {
  return new UserError(`artifact "${name}"`, `could not ${verb}: ${reasonOf(error)}`, fix, { cause: error });
}
function listFailure(error, fix) {
  return new UserError(input2, `is empty and this run\u2019s artifacts could not be listed: ${reasonOf(error)}`, fix, {
    cause: error
  });
}
function reasonOf(error) {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}
async function explainFailure(name, verb, fix, work) {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw artifactFailure(name, verb, error, fix(error));
  }
}

// src/github/artifacts/current.ts
function currentTransport(server, env) {
  checkRuntimeAccess(server, env, ["ACTIONS_RUNTIME_TOKEN", "ACTIONS_RESULTS_URL"]);
  const onGitHub = server.kind === "github";
  if (!onGitHub) checkResultsAtRoot(server, env.ACTIONS_RESULTS_URL ?? "");
  let loaded;
  const load = () => loaded ??= loadClient();
  const call = async (work) => {
    const { client } = await load();
    return onGitHub ? work(client) : asGitHubHost(() => work(client));
  };
  const explain2 = async (name, verb, work) => {
    const { module } = await load();
    return explainFailure(
      name,
      verb,
      (error) => fixFor(server, module, error),
      () => call(work)
    );
  };
  return {
    async list() {
      const { module } = await load();
      try {
        const { artifacts } = await call((client) => client.listArtifacts({ latest: true }));
        return artifacts.map((artifact) => ({ name: artifact.name, artifact }));
      } catch (error) {
        throw listFailure(error, fixFor(server, module, error));
      }
    },
    async find(name) {
      const { module } = await load();
      try {
        const { artifact } = await call((client) => client.getArtifact(name));
        return { name, artifact };
      } catch (error) {
        if (error instanceof module.ArtifactNotFoundError) return void 0;
        throw artifactFailure(name, "be looked up", error, fixFor(server, module, error));
      }
    },
    // Names are unique within a run and a re-run job is the same run: without the delete, its upload gets a 409.
    release: async (previous) => {
      await explain2(previous.name, "be replaced", (client) => client.deleteArtifact(previous.name));
    },
    async upload(name, record, directory) {
      const file = join4(directory, `${name}.json`);
      await writeFile2(file, serializeRecord(record));
      await explain2(name, "be uploaded", (client) => client.uploadArtifact(name, [file], directory));
    },
    async download({ name, artifact }, directory) {
      const source = `artifact "${name}"`;
      const { digestMismatch } = await explain2(
        name,
        "be downloaded",
        (client) => client.downloadArtifact(artifact.id, {
          path: directory,
          ...artifact.digest ? { expectedHash: artifact.digest } : {}
        })
      );
      if (digestMismatch) {
        throw new UserError(
          source,
          "was not downloaded intact: its sha256 digest differs from the one listed.",
          currentRetryFix(server)
        );
      }
      return theOneRecordFile(directory, source);
    }
  };
}
async function loadClient() {
  const module = await import("./artifact-IA4CVQUP.js");
  return { module, client: new module.DefaultArtifactClient() };
}
function asGitHubHost(work) {
  const saved = process.env.GITHUB_SERVER_URL;
  process.env.GITHUB_SERVER_URL = "https://github.com";
  try {
    return work();
  } finally {
    if (saved === void 0) delete process.env.GITHUB_SERVER_URL;
    else process.env.GITHUB_SERVER_URL = saved;
  }
}
function checkResultsAtRoot(server, resultsUrl) {
  let path;
  try {
    path = new URL(resultsUrl).pathname;
  } catch {
    return;
  }
  if (path === "" || path === "/") return;
  throw new UserError(
    "records-path",
    `is empty, and the run\u2019s artifacts on ${server.name} cannot be reached: its artifact service is under the path ${path} (ACTIONS_RESULTS_URL), and @actions/artifact sends its requests to the root of that host.`,
    recordsPathFix(server)
  );
}
function currentRetryFix(server) {
  if (server.kind === "github") return retryFix(server);
  return retryFix(
    server,
    `${server.name} may lack the artifact service of upload-artifact@v4 (Gitea has it since 1.23): upgrade it`
  );
}
function fixFor(server, module, error) {
  if (error instanceof module.UsageError) {
    return "The artifact storage quota is used up: delete old artifacts, or set records-path and keep the records elsewhere.";
  }
  return currentRetryFix(server);
}

// src/github/artifacts/legacy.ts
import { mkdir as mkdir3, writeFile as writeFile3 } from "node:fs/promises";
import { join as join5, relative as relative2 } from "node:path";
function legacyTransport(server, env) {
  checkRuntimeAccess(server, env, ["ACTIONS_RUNTIME_TOKEN", "ACTIONS_RUNTIME_URL", "GITHUB_RUN_ID"]);
  let loaded;
  const load = () => loaded ??= loadClient2();
  const fix = legacyFix(server);
  const list = async () => {
    const legacy = await load();
    try {
      return (await legacy.listArtifacts()).value.map(({ name }) => ({ name }));
    } catch (error) {
      throw listFailure(error, fix);
    }
  };
  return {
    list,
    find: async (name) => (await list()).find((artifact) => artifact.name === name),
    release: () => Promise.resolve(),
    // nothing to free: the new attempt's file goes beside the earlier ones
    async upload(name, record, directory) {
      const { client } = await load();
      const folder = join5(directory, attemptFolder(record.run?.attempt ?? 1));
      const file = join5(folder, `${name}.json`);
      await mkdir3(folder);
      await writeFile3(file, serializeRecord(record));
      const { failedItems } = await explainFailure(
        name,
        "be uploaded",
        () => fix,
        () => client.uploadArtifact(name, [file], directory, { continueOnError: false })
      );
      if (failedItems.length > 0) {
        const refused = failedItems.map((item) => relative2(directory, item)).join(", ");
        throw artifactFailure(name, "be uploaded", new Error(`the artifact service did not take ${refused}`), fix);
      }
    },
    async download({ name }, directory) {
      const { client } = await load();
      await explainFailure(
        name,
        "be downloaded",
        () => fix,
        () => client.downloadArtifact(name, directory, { createArtifactFolder: false })
      );
      return newestAttemptRecordFile(directory, `artifact "${name}"`);
    }
  };
}
async function loadClient2() {
  const [{ default: artifact }, { default: download }] = await Promise.all([
    import("./artifact-client-QC677EQZ.js"),
    // 1.x has no "exports" map, so its internal module is reachable; the version is pinned exactly in package.json.
    import("./download-http-client-BEQFWBHK.js")
  ]);
  return {
    client: artifact.create(),
    listArtifacts: () => new download.DownloadHttpClient().listArtifacts()
  };
}
function legacyFix(server) {
  return retryFix(server, `ask the administrators of ${server.name} to check its Actions storage`);
}

// src/github/record-store.ts
function recordStore(recordsPath, images, context) {
  if (recordsPath !== void 0) return directoryRecordStore(recordsPath);
  const { logger, env } = context;
  const server = actionsServer(env);
  if (server.kind === "enterprise-server") {
    return artifactRecordStore({ transport: legacyTransport(server, env), images, logger, env });
  }
  return artifactRecordStore({ transport: currentTransport(server, env), images, logger, env });
}

// src/oci/auth/challenge.ts
var tokenCharacter = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
function skipWhile(cursor, characters) {
  while (cursor.position < cursor.text.length && characters.includes(cursor.text.charAt(cursor.position))) {
    cursor.position++;
  }
}
function readToken(cursor) {
  const start = cursor.position;
  while (cursor.position < cursor.text.length && tokenCharacter.test(cursor.text.charAt(cursor.position))) {
    cursor.position++;
  }
  return cursor.text.slice(start, cursor.position);
}
function readQuoted(cursor) {
  let value = "";
  cursor.position++;
  while (cursor.position < cursor.text.length) {
    const character = cursor.text.charAt(cursor.position++);
    if (character === '"') return value;
    if (character === "\\" && cursor.position < cursor.text.length) {
      value += cursor.text.charAt(cursor.position++);
    } else {
      value += character;
    }
  }
  return value;
}
function readBareValue(cursor) {
  const start = cursor.position;
  while (cursor.position < cursor.text.length && !" 	,".includes(cursor.text.charAt(cursor.position))) {
    cursor.position++;
  }
  return cursor.text.slice(start, cursor.position);
}
function readValue(cursor) {
  skipWhile(cursor, " 	");
  return cursor.text.charAt(cursor.position) === '"' ? readQuoted(cursor) : readBareValue(cursor);
}
function isFollowedByEquals(cursor) {
  skipWhile(cursor, " 	");
  return cursor.text.charAt(cursor.position) === "=";
}
function parseHeaderValue(text) {
  const challenges = [];
  const cursor = { text, position: 0 };
  while (cursor.position < text.length) {
    skipWhile(cursor, " 	,");
    const token = readToken(cursor);
    if (token === "") {
      if (cursor.position < text.length) cursor.position++;
      continue;
    }
    const current = challenges.at(-1);
    if (!isFollowedByEquals(cursor)) {
      challenges.push({ scheme: token.toLowerCase(), params: {} });
      continue;
    }
    cursor.position++;
    const value = readValue(cursor);
    const name = token.toLowerCase();
    if (current !== void 0 && !(name in current.params)) current.params[name] = value;
  }
  return challenges;
}
function parseChallenges(headerValues) {
  return headerValues.flatMap(parseHeaderValue);
}
function pickChallenge(challenges) {
  return challenges.find((challenge) => challenge.scheme === "bearer") ?? challenges.find((challenge) => challenge.scheme === "basic");
}
function parseScopes(scope) {
  return scope === void 0 ? [] : scope.split(/\s+/).filter((part) => part !== "");
}
function parseScope(scope) {
  const first = scope.indexOf(":");
  const last = scope.lastIndexOf(":");
  if (first === -1 || first === last) return void 0;
  const actions = scope.slice(last + 1).split(",").filter((action) => action !== "");
  return { resource: scope.slice(0, last), actions };
}
function byCodePoint(left, right) {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}
function mergeScopes(scopes) {
  const actionsByResource = /* @__PURE__ */ new Map();
  const unmergeable = /* @__PURE__ */ new Set();
  for (const scope of scopes.flatMap(parseScopes)) {
    const parsed = parseScope(scope);
    if (parsed === void 0) {
      unmergeable.add(scope);
      continue;
    }
    const actions = actionsByResource.get(parsed.resource) ?? /* @__PURE__ */ new Set();
    for (const action of parsed.actions) actions.add(action);
    actionsByResource.set(parsed.resource, actions);
  }
  const merged = [...actionsByResource].map(
    ([resource, actions]) => `${resource}:${[...actions].sort(byCodePoint).join(",")}`
  );
  return [...merged, ...unmergeable].sort(byCodePoint);
}

// src/oci/auth/token.ts
var clientId = "multiarch-publish";
var minimumLifetimeSeconds = 60;
var postUnsupportedStatuses = /* @__PURE__ */ new Set([400, 401, 404, 405]);
var maxTokenResponseBytes = 1024 * 1024;
function basicAuthorization(username, password) {
  return `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
}
function checkRealm(request2) {
  let realm;
  try {
    realm = new URL(request2.realm);
  } catch {
    throw new OciError({ code: "SERVER_ERROR", message: "the token realm in the registry challenge is not a URL" });
  }
  const host = realm.host;
  if (realm.protocol === "http:" && !request2.allowInsecure) {
    throw new OciError({
      code: "INSECURE",
      message: `refused the plain-http token realm ${redactUrl(realm)} of a registry not marked insecure`,
      registry: host,
      url: redactUrl(realm)
    });
  }
  if (realm.protocol !== "http:" && realm.protocol !== "https:") {
    throw new OciError({
      code: "SERVER_ERROR",
      message: `the token realm ${redactUrl(realm)} is not http(s)`,
      registry: host
    });
  }
  return realm;
}
function getRequest(realm, request2, authorization) {
  const url = new URL(realm);
  if (request2.service !== void 0) url.searchParams.append("service", request2.service);
  for (const scope of request2.scopes) url.searchParams.append("scope", scope);
  const headers = { accept: "application/json" };
  if (authorization !== void 0) headers.authorization = authorization;
  return { method: "GET", url, headers, ...request2.signal ? { signal: request2.signal } : {} };
}
function refreshTokenRequest(realm, request2, refreshToken) {
  const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId });
  if (request2.service !== void 0) form.set("service", request2.service);
  if (request2.scopes.length > 0) form.set("scope", request2.scopes.join(" "));
  return {
    method: "POST",
    url: new URL(realm),
    headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
    body: Buffer.from(form.toString(), "utf8"),
    ...request2.signal ? { signal: request2.signal } : {}
  };
}
async function sendOrExplain(send, request2) {
  try {
    return await send(request2);
  } catch (error) {
    if (error instanceof OciError) throw error;
    throw new OciError({
      code: "UNREACHABLE",
      message: `no answer from the token endpoint ${request2.url.host}`,
      registry: request2.url.host,
      method: request2.method,
      url: redactUrl(request2.url),
      retryable: true,
      cause: error
    });
  }
}
function statusError(request2, status) {
  const code = status === 401 || status === 403 ? "UNAUTHORIZED" : status === 429 ? "TOO_MANY_REQUESTS" : "SERVER_ERROR";
  return new OciError({
    code,
    message: `the token endpoint ${request2.url.host} answered ${status}`,
    registry: request2.url.host,
    method: request2.method,
    url: redactUrl(request2.url),
    status,
    retryable: status === 429 || status >= 500
  });
}
function malformed(request2, status, problem) {
  return new OciError({
    code: "SERVER_ERROR",
    message: `the token endpoint ${request2.url.host} ${problem}`,
    registry: request2.url.host,
    method: request2.method,
    url: redactUrl(request2.url),
    status
  });
}
function lifetimeMs(expiresIn) {
  const seconds = typeof expiresIn === "number" && Number.isFinite(expiresIn) ? expiresIn : minimumLifetimeSeconds;
  return Math.max(minimumLifetimeSeconds, seconds) * 1e3;
}
function issuedAtMs(issuedAt, now) {
  const parsed = typeof issuedAt === "string" ? Date.parse(issuedAt) : Number.NaN;
  return Number.isNaN(parsed) ? now() : parsed;
}
async function readToken2(request2, response, now) {
  if (response.status < 200 || response.status > 299) {
    await response.discard();
    throw statusError(request2, response.status);
  }
  let body;
  try {
    body = JSON.parse((await response.bytes(maxTokenResponseBytes)).toString("utf8"));
  } catch {
    throw malformed(request2, response.status, "answered with something that is not JSON");
  }
  const value = [body?.token, body?.access_token].find((field) => typeof field === "string" && field !== "");
  if (typeof value !== "string") throw malformed(request2, response.status, "answered without a token");
  return { value, expiresAt: issuedAtMs(body.issued_at, now) + lifetimeMs(body.expires_in) };
}
async function exchangeIdentityToken(send, realm, request2, credential, now) {
  const post = refreshTokenRequest(realm, request2, credential.token);
  const response = await sendOrExplain(send, post);
  if (!postUnsupportedStatuses.has(response.status)) return readToken2(post, response, now);
  await response.discard();
  const get = getRequest(realm, request2, basicAuthorization(credential.username, credential.token));
  return readToken2(get, await sendOrExplain(send, get), now);
}
async function fetchToken(send, request2, now = Date.now) {
  const credential = request2.credential;
  if (credential.kind === "registry-token") return { value: credential.token, expiresAt: Number.POSITIVE_INFINITY };
  const realm = checkRealm(request2);
  if (credential.kind === "identity-token") return exchangeIdentityToken(send, realm, request2, credential, now);
  const authorization = credential.kind === "basic" ? basicAuthorization(credential.username, credential.password) : void 0;
  const get = getRequest(realm, request2, authorization);
  return readToken2(get, await sendOrExplain(send, get), now);
}
var renewalMarginMs = 1e4;
var TokenCache = class {
  constructor(now = Date.now) {
    this.now = now;
  }
  now;
  entries = /* @__PURE__ */ new Map();
  async get(key, fetch) {
    const entry = this.entries.get(key);
    const usable = entry !== void 0 && (entry.settled === void 0 || this.isFresh(entry.settled));
    const token = await (usable ? entry.pending : this.start(key, fetch));
    return token.value;
  }
  invalidate(key) {
    this.entries.delete(key);
  }
  isFresh(token) {
    return token.expiresAt - this.now() >= renewalMarginMs;
  }
  start(key, fetch) {
    const pending = new Promise((resolve) => resolve(fetch()));
    const entry = { pending };
    this.entries.set(key, entry);
    pending.then(
      (token) => {
        entry.settled = token;
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      }
    );
    return pending;
  }
};

// src/oci/auth/authorizer.ts
var Authorizer = class {
  registry;
  baseUrl;
  send;
  keychain;
  logger;
  plainHttpAllowed;
  onBearer;
  tokens = new TokenCache();
  scopeHints = /* @__PURE__ */ new Set();
  scheme;
  discovery;
  credential;
  constructor(options) {
    this.registry = options.registry;
    this.baseUrl = options.baseUrl;
    this.send = options.send;
    this.keychain = options.keychain;
    this.logger = options.logger;
    this.plainHttpAllowed = options.plainHttpAllowed;
    this.onBearer = options.onBearer;
  }
  /**
   * Scopes to ask for in every token from now on, so that one token covers a whole publish (push on the target, pull
   * on every mount source) instead of one auth round per operation.
   */
  hintScopes(scopes) {
    for (const scope of scopes) this.scopeHints.add(scope);
  }
  /** Sends the request with the credentials the registry asks for, learning how on the first challenge. */
  async request(req) {
    if (this.scheme === void 0) {
      if (this.discovery === void 0 && !isOneShot(req) && await this.isAnonymous()) return this.unannounced(req);
      if (this.discovery === void 0) return this.discoverWith(req);
      await this.discovery;
    }
    return this.authorized(req, false);
  }
  async isAnonymous() {
    return (await this.resolveCredential()).kind === "anonymous";
  }
  /**
   * With no credential for this registry it most likely needs none (a mirror, a local registry, public pulls), so
   * requests do not queue behind a discovery round: each goes out at once, and one that is challenged learns the
   * scheme from its 401 and is sent again, which is what a queued request would have cost anyway.
   */
  async unannounced(req) {
    return await this.discover(req) ?? this.authorized(req, true);
  }
  async discoverWith(req) {
    const probe = isOneShot(req) ? { method: "GET", path: "/v2/", scopes: req.scopes } : req;
    const discovery = this.discover(probe).then(async (response) => {
      if (probe === req || response === void 0) return response;
      await response.discard();
      return void 0;
    });
    const shared = discovery.then(() => void 0);
    this.discovery = shared;
    shared.catch(() => {
      if (this.discovery === shared) this.discovery = void 0;
    });
    return await discovery ?? this.authorized(req, false);
  }
  /**
   * Sends `req` without credentials and learns the scheme from the answer: its response when it was not challenged,
   * undefined after a 401 (whose challenge set the scheme). Several unannounced requests may learn at once.
   */
  async discover(req) {
    const response = await this.send(this.toHttp(req, void 0));
    if (response.status !== 401) {
      this.scheme ??= { kind: "none" };
      return response;
    }
    const challenge = pickChallenge(parseChallenges(response.headerValues("www-authenticate")));
    await response.discard();
    if (this.scheme === void 0 || this.scheme.kind === "none") this.learnScheme(challenge);
    for (const scope of parseScopes(challenge?.params.scope)) this.scopeHints.add(scope);
    return void 0;
  }
  learnScheme(challenge) {
    const scheme = toScheme(challenge, this.registry);
    this.scheme = scheme;
    if (scheme.kind === "bearer") this.onBearer?.(scheme.realm, scheme.service);
  }
  async authorized(req, isRetry) {
    const key = this.tokenKey(req.scopes);
    const authorization = await this.authorization(req.scopes);
    const response = await this.send(this.toHttp(req, authorization));
    if (response.status !== 401 || isRetry || isOneShot(req) || req.challengeIsAnswer) return response;
    if (!await this.learnFrom(response, key)) return response;
    return this.authorized(req, true);
  }
  /** After a 401: whether a second attempt can do better, having learnt what the challenge says. */
  async learnFrom(response, key) {
    const challenge = pickChallenge(parseChallenges(response.headerValues("www-authenticate")));
    const scheme = this.scheme;
    const learnsScheme = scheme?.kind === "none" && challenge !== void 0;
    if (!learnsScheme && scheme?.kind !== "bearer") return false;
    await response.discard();
    if (learnsScheme) this.learnScheme(challenge);
    else this.tokens.invalidate(key);
    for (const scope of parseScopes(challenge?.params.scope)) this.scopeHints.add(scope);
    return true;
  }
  async authorization(scopes) {
    const scheme = this.scheme;
    if (scheme === void 0 || scheme.kind === "none") return void 0;
    const credential = await this.resolveCredential();
    if (scheme.kind === "basic") {
      if (credential.kind !== "basic") return void 0;
      this.requireSecureForCredentials();
      return basicAuthorization(credential.username, credential.password);
    }
    const allScopes = this.allScopes(scopes);
    const token = await this.tokens.get(this.tokenKey(scopes), async () => {
      const fetched = await fetchToken(this.send, {
        realm: scheme.realm,
        service: scheme.service,
        scopes: allScopes,
        credential,
        allowInsecure: this.plainHttpAllowed || isLoopbackRegistry(new URL(scheme.realm).host)
      });
      this.logger.secret(fetched.value);
      return fetched;
    });
    return `Bearer ${token}`;
  }
  resolveCredential() {
    if (this.credential === void 0) {
      const pending = this.keychain.resolve(this.registry);
      this.credential = pending;
      pending.catch(() => {
        if (this.credential === pending) this.credential = void 0;
      });
    }
    return this.credential;
  }
  requireSecureForCredentials() {
    if (this.baseUrl.protocol === "https:" || this.plainHttpAllowed) return;
    throw new OciError({
      code: "INSECURE",
      message: "refused to send credentials over plain HTTP",
      registry: this.registry
    });
  }
  allScopes(scopes) {
    return mergeScopes([...this.scopeHints, ...scopes]);
  }
  tokenKey(scopes) {
    return this.allScopes(scopes).join(" ");
  }
  toHttp(req, authorization) {
    const url = typeof req.path === "string" ? new URL(req.path, this.baseUrl) : req.path;
    const headers = { ...req.headers };
    if (authorization !== void 0 && url.origin === this.baseUrl.origin) headers.authorization = authorization;
    return { method: req.method, url, headers, body: req.body };
  }
};
function isOneShot(req) {
  return req.body !== void 0 && !Buffer.isBuffer(req.body) && typeof req.body !== "function";
}
function toScheme(challenge, registry) {
  if (challenge?.scheme === "bearer" && challenge.params.realm) {
    return { kind: "bearer", realm: challenge.params.realm, service: challenge.params.service };
  }
  if (challenge?.scheme === "basic") return { kind: "basic" };
  throw new OciError({
    code: "UNAUTHORIZED",
    message: `${registry} asks for authentication in a way this client does not support (${challenge?.scheme ?? "no challenge"})`,
    registry
  });
}

// src/oci/auth/credentials.ts
import { inspect } from "node:util";

// src/oci/auth/credential-helper.ts
import { execFile } from "node:child_process";
var notFoundMessage = "credentials not found";
var maxOutputBytes = 1024 * 1024;
function run(program, call) {
  return new Promise((resolve) => {
    const child = execFile(
      program,
      ["get"],
      { env: call.env, timeout: call.timeoutMs, maxBuffer: maxOutputBytes, encoding: "utf8" },
      (error, stdout, stderr) => resolve({ error, stdout, stderr })
    );
    child.stdin?.on("error", () => void 0);
    child.stdin?.end(call.key);
  });
}
function helperError(call, program, problem, cause) {
  return new OciError({
    code: "CREDENTIALS",
    message: `credential helper ${program} ${problem} for ${call.registry}`,
    registry: call.registry,
    cause
  });
}
function complaint(result) {
  const line = (result.stderr.trim() || result.stdout.trim()).split("\n")[0]?.trim() ?? "";
  if (line === "" || line.startsWith("{")) return "";
  return `: ${line.slice(0, 200)}`;
}
function describeFailure(call, program, result) {
  const error = result.error;
  if (error.code === "ENOENT") return helperError(call, program, "is not on PATH");
  if (error.killed) return helperError(call, program, `did not answer within ${call.timeoutMs} ms`);
  const exit = typeof error.code === "number" ? `exit code ${error.code}` : error.signal ?? String(error.code);
  return helperError(call, program, `failed (${exit}${complaint(result)})`);
}
function parseAnswer(call, program, stdout) {
  let json;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw helperError(call, program, "printed something that is not credentials JSON");
  }
  const { Username: username, Secret: secret } = json ?? {};
  if (typeof secret !== "string" || username !== void 0 && typeof username !== "string") {
    throw helperError(call, program, 'printed JSON without a string "Secret"');
  }
  if (secret === "") return { found: false };
  return { found: true, username: username ?? "", secret };
}
async function askCredentialHelper(call) {
  const program = `docker-credential-${call.helper}`;
  if (/[/\\]/.test(call.helper)) throw helperError(call, program, "is not a plain helper name");
  const result = await run(program, call);
  if (result.error === null) return parseAnswer(call, program, result.stdout);
  if (`${result.stdout}
${result.stderr}`.includes(notFoundMessage)) return { found: false };
  throw describeFailure(call, program, result);
}

// src/oci/auth/docker-config.ts
import { readFile as readFile3 } from "node:fs/promises";
import { join as join6 } from "node:path";
var authConfigVariable = "DOCKER_AUTH_CONFIG";
function configFilePath(env) {
  if (env.DOCKER_CONFIG) return join6(env.DOCKER_CONFIG, "config.json");
  const home = env.HOME || env.USERPROFILE;
  if (home) return join6(home, ".docker", "config.json");
  return void 0;
}
function credentialsError(message, cause) {
  return new OciError({ code: "CREDENTIALS", message, cause });
}
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function stringRecord(value, field, source) {
  if (value === void 0) return {};
  const valid = isRecord(value) && Object.values(value).every((entry) => typeof entry === "string");
  if (!valid) throw credentialsError(`${source}: "${field}" must map registries to helper names`);
  return value;
}
function parseJsonObject(text, source) {
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw credentialsError(`${source} is not valid JSON`);
  }
  if (!isRecord(json)) throw credentialsError(`${source} must hold a JSON object`);
  return json;
}
function parseConfigFile(text, source) {
  const json = parseJsonObject(text, source);
  if (json.auths !== void 0 && !isRecord(json.auths)) throw credentialsError(`${source}: "auths" must be an object`);
  if (json.credsStore !== void 0 && typeof json.credsStore !== "string") {
    throw credentialsError(`${source}: "credsStore" must be a string`);
  }
  return {
    source,
    auths: json.auths ?? {},
    ...json.credsStore ? { credsStore: json.credsStore } : {},
    credHelpers: stringRecord(json.credHelpers, "credHelpers", source)
  };
}
async function readConfigFile(path) {
  let text;
  try {
    text = await readFile3(path, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw credentialsError(`cannot read ${path}: ${error.code ?? "unknown error"}`, error);
  }
  return parseConfigFile(text, path);
}
function parseAuthConfigVariable(text) {
  const json = parseJsonObject(text, authConfigVariable);
  const unknownField = Object.keys(json).find((field) => field !== "auths");
  if (unknownField !== void 0) {
    throw credentialsError(`${authConfigVariable} may only hold "auths" (found "${unknownField}")`);
  }
  const auths = json.auths ?? {};
  if (!isRecord(auths)) throw credentialsError(`${authConfigVariable}: "auths" must be an object`);
  for (const [key, entry] of Object.entries(auths)) {
    const fields = isRecord(entry) ? Object.keys(entry) : [];
    if (fields.length !== 1 || fields[0] !== "auth" || typeof entry.auth !== "string") {
      throw credentialsError(`${authConfigVariable}: the entry for ${key} must hold exactly one field, "auth"`);
    }
  }
  return { source: authConfigVariable, auths, credHelpers: {} };
}
function convertToHostname(key) {
  const withoutScheme = key.replace(/^https?:\/\//i, "");
  return withoutScheme.split("/")[0].toLowerCase();
}
function findAuthEntry(config, key) {
  const host = convertToHostname(key);
  const found = key in config.auths ? key : Object.keys(config.auths).find((candidate) => convertToHostname(candidate) === host);
  return found === void 0 ? void 0 : readAuthEntry(config.auths[found], found, config.source);
}
function optionalString2(entry, field, key, source) {
  const value = entry[field];
  if (value === void 0 || value === null || value === "") return void 0;
  if (typeof value !== "string")
    throw credentialsError(`${source}: "${field}" of the entry for ${key} must be a string`);
  return value;
}
function readAuthEntry(raw, key, source) {
  if (!isRecord(raw)) throw credentialsError(`${source}: the entry for ${key} must be an object`);
  const field = (name) => optionalString2(raw, name, key, source);
  const auth = field("auth");
  const decoded = auth === void 0 ? void 0 : decodeAuth(auth, key, source);
  const username = decoded?.username ?? field("username");
  const password = decoded?.password ?? field("password");
  const identityToken = field("identitytoken");
  const registryToken = field("registrytoken");
  return {
    source,
    key,
    ...username === void 0 ? {} : { username },
    ...password === void 0 ? {} : { password },
    ...auth === void 0 ? {} : { auth },
    ...identityToken === void 0 ? {} : { identityToken },
    ...registryToken === void 0 ? {} : { registryToken }
  };
}
function decodeAuth(auth, key, source) {
  const invalid = (reason) => credentialsError(`${source}: "auth" of the entry for ${key} ${reason}`);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(auth) || auth.length % 4 === 1) throw invalid("is not valid base64");
  const text = Buffer.from(auth, "base64").toString("utf8");
  const colon = text.indexOf(":");
  if (colon <= 0) throw invalid('must encode "username:password" with a non-empty username');
  return { username: text.slice(0, colon), password: text.slice(colon + 1).replace(/^\0+|\0+$/g, "") };
}

// src/oci/auth/credentials.ts
var redacted = "[redacted]";
var anonymous = Object.freeze({ kind: "anonymous" });
function withHiddenSecret(visible, name, secret) {
  const printable = Object.freeze({ ...visible, [name]: redacted });
  const credential = { ...visible };
  Object.defineProperties(credential, {
    [name]: { value: secret, enumerable: false },
    toJSON: { value: () => printable },
    toString: { value: () => `${visible.kind} credential ${JSON.stringify(printable)}` },
    [inspect.custom]: { value: () => printable }
  });
  return Object.freeze(credential);
}
function basicCredential(username, password) {
  return withHiddenSecret({ kind: "basic", username }, "password", password);
}
function identityTokenCredential(username, token) {
  return withHiddenSecret({ kind: "identity-token", username }, "token", token);
}
function registryTokenCredential(token) {
  return withHiddenSecret({ kind: "registry-token" }, "token", token);
}
var identityTokenUsername = "<token>";
function credentialFromEntry(entry) {
  if (entry.registryToken !== void 0) return registryTokenCredential(entry.registryToken);
  if (entry.identityToken !== void 0) {
    return identityTokenCredential(entry.username ?? identityTokenUsername, entry.identityToken);
  }
  if (entry.username !== void 0 || entry.password !== void 0) {
    return basicCredential(entry.username ?? "", entry.password ?? "");
  }
  return anonymous;
}
function secretsOf(credential) {
  switch (credential.kind) {
    case "anonymous":
      return [];
    case "basic":
      return [credential.password, Buffer.from(`${credential.username}:${credential.password}`).toString("base64")];
    case "identity-token":
    case "registry-token":
      return [credential.token];
  }
}
function lazily(load) {
  let pending;
  return () => {
    pending ??= load().catch((error) => {
      pending = void 0;
      throw error;
    });
    return pending;
  };
}
function configSources(env) {
  const variable = env[authConfigVariable];
  const path = configFilePath(env);
  return {
    variable: lazily(async () => variable ? parseAuthConfigVariable(variable) : void 0),
    file: lazily(async () => path === void 0 ? void 0 : readConfigFile(path))
  };
}
async function resolveFromConfig(sources, registry, options) {
  const key = credentialKey(registry);
  const fromVariable = await sources.variable();
  const variableEntry = fromVariable === void 0 ? void 0 : findAuthEntry(fromVariable, key);
  if (variableEntry !== void 0) return credentialFromEntry(variableEntry);
  const config = await sources.file();
  if (config === void 0) return anonymous;
  const helper = config.credHelpers[key] ?? config.credsStore;
  if (helper) {
    const timeoutMs = options.helperTimeoutMs ?? 3e4;
    const answer = await askCredentialHelper({ helper, key, registry, env: options.env, timeoutMs });
    if (answer.found && answer.username === identityTokenUsername) {
      return identityTokenCredential(answer.username, answer.secret);
    }
    if (answer.found) return basicCredential(answer.username, answer.secret);
  }
  const entry = findAuthEntry(config, key);
  return entry === void 0 ? anonymous : credentialFromEntry(entry);
}
function dockerConfigKeychain(options = {}) {
  const env = options.env ?? process.env;
  const sources = configSources(env);
  const resolved = /* @__PURE__ */ new Map();
  const resolveOnce = async (registry) => {
    const credential = await resolveFromConfig(sources, registry, { ...options, env });
    for (const secret of secretsOf(credential)) if (secret !== "") options.onSecret?.(secret);
    return credential;
  };
  return {
    resolve(registry) {
      const key = credentialKey(registry);
      let pending = resolved.get(key);
      if (pending === void 0) {
        pending = resolveOnce(registry);
        resolved.set(key, pending);
        pending.catch(() => resolved.delete(key));
      }
      return pending;
    }
  };
}

// src/oci/logger.ts
var silentLogger = {
  debug: () => {
  },
  info: () => {
  },
  warning: () => {
  },
  group: (_title, work) => work(),
  secret: () => {
  }
};

// src/oci/transport.ts
var import_undici = __toESM(require_undici(), 1);
import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";

// src/oci/retry.ts
var defaultRetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 200,
  maxDelayMs: 5e3,
  maxRetryAfterMs: 6e4,
  random: Math.random
};
var retryableStatuses = /* @__PURE__ */ new Set([408, 429, 500, 502, 503, 504]);
var retryableErrorCodes = /* @__PURE__ */ new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED"
]);
function isRetryableOutcome(outcome) {
  if (outcome.errorCode !== void 0) return retryableErrorCodes.has(outcome.errorCode);
  return outcome.status !== void 0 && retryableStatuses.has(outcome.status);
}
function retryDelay(policy, attempt, outcome, now = Date.now()) {
  if (attempt >= policy.maxAttempts || !isRetryableOutcome(outcome)) return void 0;
  const requested = parseRetryAfter(outcome.retryAfter, now);
  if (requested !== void 0) return requested > policy.maxRetryAfterMs ? void 0 : requested;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + policy.random() * (ceiling / 2));
}
var httpDateShape = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b.*\b\d{2}:\d{2}:\d{2}\b/i;
function parseRetryAfter(value, now = Date.now()) {
  if (value === void 0 || value.trim() === "") return void 0;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1e3;
  if (!httpDateShape.test(text)) return void 0;
  const date = Date.parse(/(GMT|UTC|[+-]\d{4})$/i.test(text) ? text : `${text} GMT`);
  if (Number.isNaN(date)) return void 0;
  return Math.max(0, date - now);
}
function consistencyDelays(totalMs, firstMs = 250) {
  if (!(firstMs > 0)) throw new RangeError(`consistencyDelays: firstMs must be positive, got ${firstMs}`);
  const delays = [];
  let spent = 0;
  for (let next = firstMs; spent + next <= totalMs; next *= 2) {
    delays.push(next);
    spent += next;
  }
  return delays;
}
async function pollUntil(read, done, options) {
  const wait = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  let reading = await read();
  for (const delay of consistencyDelays(options.waitMs)) {
    if (done(reading)) break;
    await wait(delay);
    reading = await read();
  }
  return reading;
}

// src/oci/transport.ts
var maxRedirects = 5;
var redirectStatuses = /* @__PURE__ */ new Set([301, 302, 303, 307, 308]);
function createTransport(options = {}) {
  const agent = new import_undici.Agent({
    connections: options.connectionsPerOrigin ?? 32,
    connectTimeout: 15e3,
    headersTimeout: 12e4,
    bodyTimeout: 3e5
  });
  const userAgent = options.userAgent ?? "multiarch-publish";
  const once = (req) => followRedirects(agent, { ...req, headers: { "user-agent": userAgent, ...req.headers } });
  const send = withRetry(
    once,
    options.retry ?? defaultRetryPolicy,
    options.sleep ?? sleep,
    options.logger ?? silentLogger
  );
  return { send, close: () => agent.close() };
}
async function followRedirects(dispatcher, first) {
  let req = first;
  for (let hop = 0; ; hop++) {
    const response = await sendOnce(dispatcher, req);
    const location = response.header("location");
    const follows = (req.method === "GET" || req.method === "HEAD") && redirectStatuses.has(response.status);
    if (!follows || location === void 0 || hop === maxRedirects) return response;
    await response.discard();
    const next = new URL(location, req.url);
    if (req.url.protocol === "https:" && next.protocol !== "https:") {
      throw new OciError({
        code: "INSECURE",
        message: `refused a redirect from HTTPS to ${redactUrl(next)}`,
        registry: first.url.host,
        method: req.method,
        url: redactUrl(req.url)
      });
    }
    req = { ...req, url: next, headers: headersForRedirect(req.headers ?? {}, req.url, next) };
  }
}
var credentialHeaders = /* @__PURE__ */ new Set(["authorization", "cookie", "proxy-authorization"]);
function headersForRedirect(headers, from, to) {
  if (from.origin === to.origin) return { ...headers };
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !credentialHeaders.has(name.toLowerCase())));
}
async function sendOnce(dispatcher, req) {
  const body = typeof req.body === "function" ? req.body() : req.body;
  try {
    const response = await (0, import_undici.request)(req.url, {
      dispatcher,
      method: req.method,
      headers: req.headers,
      body,
      signal: req.signal
    });
    return wrapResponse(response, req.url);
  } catch (error) {
    if (body instanceof Readable) body.destroy();
    throw networkError(error, req);
  }
}
function wrapResponse(response, url) {
  const headerValues = (name) => {
    const value = response.headers[name.toLowerCase()];
    if (value === void 0) return [];
    return Array.isArray(value) ? value : [value];
  };
  return {
    status: response.statusCode,
    url,
    header: (name) => {
      const values = headerValues(name);
      return values.length === 0 ? void 0 : values.join(", ");
    },
    headerValues,
    bytes: (limit) => readBounded(response.body, limit ?? 16 * 1024 * 1024, url),
    stream: () => response.body,
    discard: async () => {
      await response.body.dump({ limit: 1024 * 1024 }).catch(() => void 0);
    }
  };
}
async function readBounded(body, limit, url) {
  const chunks = [];
  let length = 0;
  for await (const chunk of body) {
    length += chunk.length;
    if (length > limit) {
      body.destroy();
      throw new OciError({
        code: "REJECTED",
        message: `the response is larger than ${limit} bytes`,
        registry: url.host,
        url: redactUrl(url)
      });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, length);
}
function networkError(error, req) {
  if (error instanceof OciError) return error;
  if (error.name === "AbortError") return error;
  const code = errorCode2(error);
  return new OciError({
    code: "UNREACHABLE",
    message: `cannot reach ${req.url.host}${code ? ` (${code})` : ""}`,
    registry: req.url.host,
    method: req.method,
    url: redactUrl(req.url),
    retryable: true,
    cause: error
  });
}
function errorCode2(error) {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = current.code;
    if (typeof code === "string" && code !== "UNREACHABLE") return code;
    current = current.cause;
  }
  return void 0;
}
function isReplayable(req) {
  return req.body === void 0 || Buffer.isBuffer(req.body) || typeof req.body === "function";
}
function withRetry(send, policy, wait, logger) {
  return async (req) => {
    for (let attempt = 1; ; attempt++) {
      let response;
      let failure;
      try {
        response = await send(req);
      } catch (error) {
        failure = error;
      }
      const outcome = response ? { status: response.status, retryAfter: response.header("retry-after") } : { errorCode: errorCode2(failure) };
      const delay = isReplayable(req) ? retryDelay(policy, attempt, outcome) : void 0;
      if (delay === void 0) {
        if (response) return response;
        throw failure;
      }
      logger.debug(
        `${req.method} ${redactUrl(req.url)}: ${response ? `status ${response.status}` : outcome.errorCode}; attempt ${attempt + 1} in ${delay} ms`
      );
      await response?.discard();
      await wait(delay);
    }
  };
}
function withLimit(send, limit) {
  let active = 0;
  const waiting = [];
  const acquire = () => {
    if (active < limit) {
      active++;
      return void 0;
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const release = () => {
    const next = waiting.shift();
    if (next === void 0) active--;
    else next();
  };
  return async (req) => {
    await acquire();
    try {
      return await send(req);
    } finally {
      release();
    }
  };
}

// src/oci/client.ts
var RegistryClient = class {
  registry;
  baseUrl;
  knownProfile;
  authorizer;
  constructor(registry, options) {
    this.registry = registry;
    this.knownProfile = options.family !== void 0 ? profileOf(options.family) : profileForHost(registry);
    const plainHttpAllowed = isLoopbackRegistry(registry) || options.insecure === true;
    this.baseUrl = new URL(`${plainHttpAllowed ? "http" : "https"}://${registryApiHost(registry)}`);
    const recognisable = options.family === void 0 && this.knownProfile.hosts === void 0;
    this.authorizer = new Authorizer({
      registry,
      baseUrl: this.baseUrl,
      send: withLimit(options.send, options.concurrency ?? 32),
      keychain: options.keychain,
      logger: options.logger ?? silentLogger,
      plainHttpAllowed,
      onBearer: (realm, service) => {
        if (recognisable) this.knownProfile = profileForChallenge(realm, service) ?? this.knownProfile;
      }
    });
  }
  /**
   * What this registry's family is known to do: from its host name, or, for a self-hosted family,
   * from the token challenge of its first 401.
   */
  get profile() {
    return this.knownProfile;
  }
  /**
   * Scopes to ask for in every token from now on, so that one token covers a whole publish (push on the target, pull
   * on every mount source) instead of one auth round per operation.
   */
  hintScopes(scopes) {
    this.authorizer.hintScopes(scopes);
  }
  request(req) {
    return this.authorizer.request(req);
  }
};
var RegistryClients = class {
  clients = /* @__PURE__ */ new Map();
  options;
  constructor(options) {
    this.options = options;
  }
  client(registry) {
    let client = this.clients.get(registry);
    if (client === void 0) {
      client = new RegistryClient(registry, {
        send: this.options.send,
        keychain: this.options.keychain,
        logger: this.options.logger,
        insecure: this.options.insecureRegistries?.includes(registry) ?? false,
        concurrency: this.options.concurrencyPerRegistry,
        family: this.options.families?.[registry]
      });
      this.clients.set(registry, client);
    }
    return client;
  }
  repository(repository) {
    return { client: this.client(repository.registry), path: repository.path, name: formatRepository(repository) };
  }
};
var pullScope = (repository) => repositoryScope(repository.path, ["pull"]);
var pushScope = (repository) => repositoryScope(repository.path, ["pull", "push"]);
function openRegistrySession(options) {
  const { logger } = options;
  const transport = createTransport({ logger, ...options.retry ? { retry: options.retry } : {} });
  const keychain = dockerConfigKeychain({ env: options.env, onSecret: (value) => logger.secret(value) });
  const clients = new RegistryClients({
    send: transport.send,
    keychain,
    logger,
    insecureRegistries: options.insecureRegistries,
    families: options.families
  });
  return { clients, close: () => transport.close() };
}

// src/oci/descriptor.ts
function definedOnly(object) {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== void 0));
}
function isObject2(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function readString(value, at, fail) {
  if (typeof value === "string") return value;
  return fail(`${at} must be a string`);
}
function readOptionalString(value, at, fail) {
  return value === void 0 ? void 0 : readString(value, at, fail);
}
function readStrings(value, at, fail) {
  if (value === void 0) return void 0;
  if (!Array.isArray(value)) return fail(`${at} must be an array of strings`);
  return value.map((item, position) => readString(item, `${at}[${position}]`, fail));
}
function readAnnotations(value, at, fail) {
  if (value === void 0) return void 0;
  if (!isObject2(value)) return fail(`${at} must be an object of strings`);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, readString(item, `${at}.${key}`, fail)]));
}
function readPlatform(value, at, fail) {
  if (value === void 0) return void 0;
  if (!isObject2(value)) return fail(`${at} must be an object`);
  return definedOnly({
    architecture: readString(value.architecture, `${at}.architecture`, fail),
    os: readString(value.os, `${at}.os`, fail),
    "os.version": readOptionalString(value["os.version"], `${at}["os.version"]`, fail),
    "os.features": readStrings(value["os.features"], `${at}["os.features"]`, fail),
    variant: readOptionalString(value.variant, `${at}.variant`, fail)
  });
}
function readDigest(value, at, fail) {
  const digest = readString(value, at, fail);
  return isValidDigest(digest) ? digest : fail(`${at} ${JSON.stringify(digest)} is not a valid digest`);
}
function readSize(value, at, fail) {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  return fail(`${at} must be a non-negative integer`);
}
function readDescriptor(value, at, fail) {
  if (!isObject2(value)) return fail(`${at} must be a descriptor object`);
  return definedOnly({
    mediaType: readString(value.mediaType, `${at}.mediaType`, fail),
    digest: readDigest(value.digest, `${at}.digest`, fail),
    size: readSize(value.size, `${at}.size`, fail),
    artifactType: readOptionalString(value.artifactType, `${at}.artifactType`, fail),
    urls: readStrings(value.urls, `${at}.urls`, fail),
    platform: readPlatform(value.platform, `${at}.platform`, fail),
    annotations: readAnnotations(value.annotations, `${at}.annotations`, fail)
  });
}
function readDescriptors(value, at, fail) {
  if (!Array.isArray(value)) return fail(`${at} must be an array`);
  return value.map((item, position) => readDescriptor(item, `${at}[${position}]`, fail));
}
function readTopLevel(bytes, kind, fail) {
  let object;
  try {
    object = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (error) {
    return fail(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isObject2(object)) return fail("not a JSON object");
  if (object.schemaVersion !== 2) fail(`schemaVersion is ${JSON.stringify(object.schemaVersion)}, expected 2`);
  const mediaType = readOptionalString(object.mediaType, "mediaType", fail);
  if (mediaType !== void 0 && !kind.fits(mediaType)) {
    fail(`mediaType ${JSON.stringify(mediaType)} is not an ${kind.name} media type`);
  }
  return { object, mediaType };
}
var indexKind = { name: "index", fits: isIndex };
var imageManifestKind = { name: "image manifest", fits: isImageManifest };
function failer(kind, source) {
  return (problem) => {
    const message = `invalid ${kind.name} from ${JSON.stringify(source)}: ${problem}`;
    throw new OciError({ code: "INVALID_MANIFEST", message });
  };
}
function readCommon(object, mediaType, fail) {
  return {
    schemaVersion: 2,
    mediaType,
    artifactType: readOptionalString(object.artifactType, "artifactType", fail),
    subject: object.subject === void 0 ? void 0 : readDescriptor(object.subject, "subject", fail),
    annotations: readAnnotations(object.annotations, "annotations", fail)
  };
}
function parseIndex(bytes, source) {
  const fail = failer(indexKind, source);
  const { object, mediaType } = readTopLevel(bytes, indexKind, fail);
  const manifests = readDescriptors(object.manifests, "manifests", fail);
  return definedOnly({ ...readCommon(object, mediaType, fail), manifests });
}
function parseImageManifest(bytes, source) {
  const fail = failer(imageManifestKind, source);
  const { object, mediaType } = readTopLevel(bytes, imageManifestKind, fail);
  const config = readDescriptor(object.config, "config", fail);
  const layers = readDescriptors(object.layers, "layers", fail);
  return definedOnly({ ...readCommon(object, mediaType, fail), config, layers });
}

// src/oci/sources.ts
async function fromFirstSource(sources, attempt, nothing) {
  let lastError;
  for (const source of sources) {
    try {
      return await attempt(source);
    } catch (error) {
      if (!isOciError(error, "NOT_FOUND")) throw error;
      lastError = error;
    }
  }
  throw lastError ?? nothing();
}

// src/oci/index.ts
function sortedAnnotations(annotations) {
  const keys = Object.keys(annotations ?? {}).sort();
  if (annotations === void 0 || keys.length === 0) return void 0;
  return Object.fromEntries(keys.map((key) => [key, annotations[key]]));
}
function canonicalPlatform(platform) {
  const features = platform["os.features"];
  return definedOnly({
    architecture: platform.architecture,
    os: platform.os,
    "os.version": platform["os.version"] || void 0,
    "os.features": features !== void 0 && features.length > 0 ? [...features] : void 0,
    variant: platform.variant || void 0
  });
}
function canonicalDescriptor(descriptor) {
  return definedOnly({
    mediaType: descriptor.mediaType,
    digest: descriptor.digest,
    size: descriptor.size,
    artifactType: descriptor.artifactType,
    urls: descriptor.urls !== void 0 && descriptor.urls.length > 0 ? [...descriptor.urls] : void 0,
    platform: descriptor.platform && canonicalPlatform(descriptor.platform),
    annotations: sortedAnnotations(descriptor.annotations)
  });
}
function canonicalIndex(index) {
  return definedOnly({
    schemaVersion: index.schemaVersion,
    mediaType: index.mediaType,
    artifactType: index.artifactType,
    manifests: index.manifests.map(canonicalDescriptor),
    subject: index.subject && canonicalDescriptor(index.subject),
    annotations: sortedAnnotations(index.annotations)
  });
}
function encodeIndex(index) {
  return Buffer.from(JSON.stringify(canonicalIndex(index), null, 2), "utf8");
}
function compareText(a, b) {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
function compareDescriptors(a, b) {
  return compareText(a.digest, b.digest) || compareText(JSON.stringify(a), JSON.stringify(b));
}
function sortManifests(manifests) {
  const withPlatforms = manifests.map((manifest) => {
    if (manifest.platform !== void 0) {
      return { manifest: canonicalDescriptor(manifest), platform: manifest.platform };
    }
    throw new OciError({
      code: "INVALID_MANIFEST",
      message: `image manifest ${JSON.stringify(manifest.digest)} has no platform, so no machine would pull it`
    });
  });
  withPlatforms.sort((a, b) => comparePlatforms(a.platform, b.platform) || compareDescriptors(a.manifest, b.manifest));
  return withPlatforms.map((entry) => entry.manifest);
}
function sortAttestations(attestations, manifests) {
  const positions = /* @__PURE__ */ new Map();
  manifests.forEach((manifest, position) => positions.has(manifest.digest) || positions.set(manifest.digest, position));
  const positionOf = (attestation) => positions.get(attestation.annotations?.[attestationAnnotation.digest] ?? "") ?? manifests.length;
  return attestations.map(canonicalDescriptor).sort((a, b) => positionOf(a) - positionOf(b) || compareDescriptors(a, b));
}
function hasOciOnlyFields(descriptor) {
  return descriptor.annotations !== void 0 || descriptor.artifactType !== void 0 || descriptor.urls !== void 0;
}
function chooseMediaType(children, annotations) {
  const dockerOnly = children.length > 0 && annotations === void 0 && children.every((child) => isDockerType(child.mediaType) && !hasOciOnlyFields(child));
  return dockerOnly ? MediaType.dockerManifestList : MediaType.ociIndex;
}
function buildIndex(content) {
  const manifests = sortManifests(content.manifests);
  const children = [...manifests, ...sortAttestations(content.attestations, manifests)];
  const annotations = sortedAnnotations(content.annotations);
  const mediaType = chooseMediaType(children, annotations);
  const index = canonicalIndex({ schemaVersion: 2, mediaType, manifests: children, annotations });
  const bytes = encodeIndex(index);
  return { index, bytes, descriptor: { mediaType, digest: sha256Digest(bytes), size: bytes.length } };
}
function classifyChild(child) {
  if (!isImageManifest(child.mediaType)) return "others";
  const referenceType = child.annotations?.[attestationAnnotation.type];
  if (referenceType !== void 0) {
    return referenceType === attestationAnnotation.attestationManifest ? "attestations" : "others";
  }
  const platform = child.platform;
  const runnable = platform !== void 0 && platform.os !== "unknown" && platform.architecture !== "unknown";
  return runnable ? "manifests" : "others";
}
function splitIndex(index) {
  const split = { manifests: [], attestations: [], others: [] };
  for (const child of index.manifests) split[classifyChild(child)].push(child);
  return split;
}
function referencesOf(manifest) {
  const source = manifest.descriptor.digest;
  const parsed = isIndex(manifest.descriptor.mediaType) ? parseIndex(manifest.bytes, source) : parseImageManifest(manifest.bytes, source);
  const subject = parsed.subject ? [{ kind: "manifest", role: "subject", descriptor: parsed.subject }] : [];
  if ("manifests" in parsed) {
    return [
      ...parsed.manifests.map((descriptor) => ({ kind: "manifest", role: "child", descriptor })),
      ...subject
    ];
  }
  return [
    ...subject,
    { kind: "blob", role: "config", descriptor: parsed.config },
    ...parsed.layers.filter((layer) => !layer.urls?.length).map((descriptor) => ({ kind: "blob", role: "layer", descriptor }))
  ];
}

// src/oci/manifests.ts
var manifestPath = (repository, reference) => `/v2/${repository.path}/manifests/${reference}`;
function consistencyWait(repository, override) {
  return override ?? repository.client.profile.consistencyWaitMs;
}
async function headManifest(repository, reference, options = {}) {
  return withConsistencyWait(options, async () => {
    const response = await repository.client.request({
      method: "HEAD",
      path: manifestPath(repository, reference),
      headers: { accept: manifestAccept },
      scopes: [pullScope(repository)]
    });
    await response.discard();
    if (response.status === 404) return void 0;
    if (response.status !== 200)
      throw await responseError(response, "HEAD", repository.client, `HEAD ${repository.name}@${reference}`);
    const digest = response.header("docker-content-digest") ?? (isValidDigest(reference) ? reference : void 0);
    if (digest === void 0) return (await getManifest(repository, reference)).descriptor;
    return {
      mediaType: mediaTypeOf(response.header("content-type")),
      digest,
      size: Number(response.header("content-length") ?? 0)
    };
  });
}
async function getManifest(repository, reference, options = {}) {
  const found = await withConsistencyWait(options, () => readManifest(repository, reference));
  return found;
}
async function readManifest(repository, reference) {
  const response = await repository.client.request({
    method: "GET",
    path: manifestPath(repository, reference),
    headers: { accept: manifestAccept, "accept-encoding": "identity" },
    scopes: [pullScope(repository)]
  });
  const what = `GET ${repository.name}@${reference}`;
  if (response.status !== 200) throw await responseError(response, "GET", repository.client, what);
  const bytes = await response.bytes(repository.client.profile.maxManifestBytes);
  const digest = sha256Digest(bytes);
  const stated = response.header("docker-content-digest");
  for (const expected of [
    isValidDigest(reference) ? reference : void 0,
    stated?.startsWith("sha256:") ? stated : void 0
  ]) {
    if (expected !== void 0 && expected !== digest) {
      throw new OciError({
        code: "DIGEST_MISMATCH",
        message: `${what} returned content with digest ${digest}, expected ${expected}`,
        registry: repository.client.registry,
        method: "GET",
        url: redactUrl(response.url)
      });
    }
  }
  const etag = response.header("etag");
  return {
    descriptor: { mediaType: mediaTypeOf(response.header("content-type"), bytes), digest, size: bytes.length },
    bytes,
    ...etag === void 0 ? {} : { etag }
  };
}
async function putManifest(repository, reference, manifest, options = {}) {
  const what = `PUT ${repository.name}${isValidDigest(reference) ? "@" : ":"}${reference}`;
  const headers = {
    "content-type": manifest.descriptor.mediaType,
    "content-length": String(manifest.bytes.length),
    ...options.ifMatch === void 0 ? {} : { "if-match": options.ifMatch }
  };
  const attempt = async () => {
    const response = await repository.client.request({
      method: "PUT",
      path: manifestPath(repository, reference),
      headers,
      body: manifest.bytes,
      scopes: [pushScope(repository)]
    });
    if (response.status < 200 || response.status > 299) {
      const error = await responseError(response, "PUT", repository.client, what);
      throw error.registryCodes.includes("MANIFEST_BLOB_UNKNOWN") ? unknownReference(error, manifest) : error;
    }
    await response.discard();
    const stated = response.header("docker-content-digest");
    if (stated !== void 0 && stated !== manifest.descriptor.digest) {
      throw new OciError({
        code: "DIGEST_MISMATCH",
        message: `${what} was stored with digest ${stated}, expected ${manifest.descriptor.digest}`,
        registry: repository.client.registry,
        method: "PUT",
        url: redactUrl(response.url)
      });
    }
    const subject = response.header("oci-subject");
    return subject === void 0 ? {} : { subject };
  };
  return await withConsistencyWait({ ...options, waitMs: consistencyWait(repository, options.waitMs) }, attempt) ?? {};
}
function unknownReference(error, manifest) {
  const references = referencesOf(manifest);
  const named = error.registryDetails.map((detail) => references.find((reference) => detail.includes(reference.descriptor.digest))).find((reference) => reference !== void 0);
  const which = named === void 0 ? "" : `; it lacks the manifest's ${named.role} ${named.descriptor.digest}`;
  return new OciError({
    ...error,
    code: "NOT_FOUND",
    message: `${error.message}${which}`,
    registryCodes: error.registryCodes
  });
}
async function withConsistencyWait(options, operation) {
  const attempt = async () => {
    try {
      return { value: await operation() };
    } catch (error) {
      if (isOciError(error, "NOT_FOUND")) return { notFound: error };
      throw error;
    }
  };
  const last = await pollUntil(attempt, (reading) => reading.value !== void 0, {
    ...options,
    waitMs: options.waitMs ?? 0
  });
  if (last.notFound) throw last.notFound;
  return last.value;
}
function mediaTypeOf(contentType, bytes) {
  const fromHeader = contentType?.split(";")[0]?.trim();
  if (fromHeader && fromHeader !== "application/json" && fromHeader !== "text/plain") return fromHeader;
  if (bytes) {
    try {
      const parsed = JSON.parse(bytes.toString("utf8"));
      if (typeof parsed.mediaType === "string") return parsed.mediaType;
    } catch {
    }
  }
  return fromHeader ?? "application/octet-stream";
}

// src/oci/blobs.ts
import { setTimeout as sleep2 } from "node:timers/promises";
var blobPath = (repository, digest) => `/v2/${repository.path}/blobs/${digest}`;
async function headBlob(repository, digest) {
  const response = await repository.client.request({
    method: "HEAD",
    path: blobPath(repository, digest),
    scopes: [pullScope(repository)]
  });
  await response.discard();
  if (response.status === 200) return true;
  if (response.status === 404) return false;
  throw await responseError(response, "HEAD", repository.client, `HEAD ${repository.name} blob ${digest}`);
}
async function transferBlob(source, target, blob) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transferBlobOnce(source, target, blob);
    } catch (error) {
      if (attempt >= streamedTransferAttempts || !isTransient(error)) throw error;
      await sleep2(transferRetryDelayMs * attempt);
    }
  }
}
var streamedTransferAttempts = defaultRetryPolicy.maxAttempts;
var transferRetryDelayMs = 250;
var transientCodes = ["SERVER_ERROR", "TOO_MANY_REQUESTS", "UNREACHABLE", "DIGEST_MISMATCH"];
function isTransient(error) {
  return error instanceof OciError && transientCodes.includes(error.code);
}
async function transferBlobOnce(source, target, blob) {
  const sameRegistry = source.client === target.client;
  const session = await openUpload(target, sameRegistry ? source : void 0, blob.digest);
  if (session === "mounted") return "mounted";
  return completeUpload(target, blob, () => streamBlob(source, target, blob, session));
}
async function completeUpload(target, blob, upload) {
  try {
    await upload();
  } catch (error) {
    if (await headBlob(target, blob.digest).catch(() => false)) return "copied";
    throw error;
  }
  return "copied";
}
var refusedMountStatuses = /* @__PURE__ */ new Set([401, 403, 404]);
async function openUpload(target, mountFrom, digest) {
  const query = mountFrom ? `?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(mountFrom.path)}` : "";
  const response = await target.client.request({
    method: "POST",
    path: `/v2/${target.path}/blobs/uploads/${query}`,
    headers: { "content-length": "0" },
    scopes: mountFrom ? [pushScope(target), pullScope(mountFrom)] : [pushScope(target)],
    // Where a 401 is the family's way to refuse a mount, no token is renewed for it: the plain upload follows.
    challengeIsAnswer: mountFrom !== void 0 && target.client.profile.refusedMount === "unauthorized"
  });
  await response.discard();
  if (mountFrom && response.status === 201) return "mounted";
  if (mountFrom && refusedMountStatuses.has(response.status)) return openUpload(target, void 0, digest);
  if (response.status !== 202) {
    throw await responseError(response, "POST", target.client, `start a blob upload to ${target.name}`);
  }
  return uploadLocation(response, target);
}
function uploadLocation(response, target) {
  const location = response.header("location");
  if (location === void 0) {
    throw new OciError({
      code: "REJECTED",
      message: `${target.name} opened a blob upload without a Location`,
      registry: target.client.registry
    });
  }
  return new URL(location, response.url);
}
async function streamBlob(source, target, blob, session) {
  const download = await fetchBlob(source, blob.digest);
  await closeUpload(target, blob, session, verified(download.stream(), blob));
}
async function fetchBlob(repository, digest) {
  const response = await repository.client.request({
    method: "GET",
    path: blobPath(repository, digest),
    headers: { "accept-encoding": "identity" },
    scopes: [pullScope(repository)]
  });
  if (response.status === 200) return response;
  throw await responseError(response, "GET", repository.client, `GET ${repository.name} blob ${digest}`);
}
async function closeUpload(target, blob, session, body) {
  const url = new URL(session);
  url.searchParams.set("digest", blob.digest);
  const upload = await target.client.request({
    method: "PUT",
    path: url,
    headers: { "content-type": "application/octet-stream", "content-length": String(blob.size) },
    body,
    scopes: [pushScope(target)]
  });
  if (upload.status !== 201) {
    if (typeof body !== "function") body.destroy();
    throw await responseError(upload, "PUT", target.client, `upload blob ${blob.digest} to ${target.name}`);
  }
  await upload.discard();
}
async function uploadBlob(target, blob, open, mountFrom) {
  if (await headBlob(target, blob.digest)) return "present";
  const session = await openUpload(target, mountFrom?.client === target.client ? mountFrom : void 0, blob.digest);
  if (session === "mounted") return "mounted";
  return completeUpload(target, blob, () => closeUpload(target, blob, session, () => verified(open(), blob)));
}
function verified(source, blob) {
  const check = verifyingStream(blob);
  source.on("error", (error) => check.destroy(error));
  return source.pipe(check);
}
async function getBlob(repository, blob, limit) {
  if (blob.size > limit) {
    throw new OciError({
      code: "REJECTED",
      message: `${repository.name} blob ${blob.digest} is ${blob.size} bytes, more than the ${limit} expected`,
      registry: repository.client.registry
    });
  }
  const bytes = await (await fetchBlob(repository, blob.digest)).bytes(limit);
  const digest = sha256Digest(bytes);
  if (digest !== blob.digest || bytes.length !== blob.size) {
    throw new OciError({
      code: "DIGEST_MISMATCH",
      message: `${repository.name} blob ${blob.digest} arrived as ${bytes.length} bytes with digest ${digest}`,
      registry: repository.client.registry
    });
  }
  return bytes;
}
function transferBlobFromAny(sources, target, blob) {
  return fromFirstSource(
    sources,
    (source) => transferBlob(source, target, blob),
    () => new OciError({
      code: "NOT_FOUND",
      message: `no source has blob ${blob.digest}`,
      registry: target.client.registry
    })
  );
}

// src/oci/config.ts
var configLimit = 8 * 1024 * 1024;
function parseConfigPlatform(bytes, source) {
  let config;
  try {
    config = JSON.parse(bytes.toString("utf8"));
  } catch {
    config = void 0;
  }
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new OciError({ code: "INVALID_MANIFEST", message: `${source} is an image config that is not a JSON object` });
  }
  const fields = config;
  const text = (key) => typeof fields[key] === "string" && fields[key] !== "" ? fields[key] : void 0;
  const features = fields["os.features"];
  const variant = text("variant");
  const osVersion = text("os.version");
  return {
    os: text("os") ?? "unknown",
    architecture: text("architecture") ?? "unknown",
    ...variant === void 0 ? {} : { variant },
    ...osVersion === void 0 ? {} : { "os.version": osVersion },
    ...Array.isArray(features) && features.length > 0 ? { "os.features": features.map(String) } : {}
  };
}
async function readConfigPlatform(repository, manifest) {
  const bytes = await getBlob(repository, manifest.config, configLimit);
  return parseConfigPlatform(bytes, `${repository.name}@${manifest.config.digest}`);
}

// src/publish/children.ts
var noPlatform = { os: "", architecture: "" };
function fitsPlatform(pattern, platform) {
  const filled = {
    ...pattern,
    "os.version": pattern["os.version"] || platform["os.version"],
    "os.features": pattern["os.features"] ?? platform["os.features"]
  };
  return platformKey(filled) === platformKey(platform);
}
function formatOverride(override) {
  const from = "digest" in override.match ? override.match.digest : formatPlatform(override.match.platform);
  return `${from}=${formatPlatform(override.platform)}`;
}
function overrideMatches(override, record, imageDigest) {
  if ("digest" in override.match) return [record.digest, imageDigest].includes(override.match.digest);
  return fitsPlatform(override.match.platform, record.platform);
}
function findOverride(overrides, sourced, imageDigest) {
  const matching = overrides.filter((override) => overrideMatches(override, sourced.record, imageDigest));
  if (matching.length <= 1) return matching[0];
  throw new UserError(
    "platform-overrides",
    `${matching.map((override) => quote(formatOverride(override))).join(" and ")} all match the record ${quote(sourced.source)} (${sourced.record.digest}).`,
    "Keep one override for that record."
  );
}
function unwrapIndex(sourced, index) {
  const { source, record } = sourced;
  const split = splitIndex(index);
  const [image] = split.manifests;
  if (image === void 0 || split.manifests.length > 1) {
    const platforms = split.manifests.map(
      (manifest) => formatPlatform(manifest.platform ?? { os: "", architecture: "" })
    );
    const found = platforms.length === 0 ? "" : ` (${platforms.join(", ")})`;
    throw new UserError(
      source,
      `${quote(record.digest)} is an index with ${split.manifests.length} platform images${found}; a digest record holds one platform.`,
      "Build one platform per build job, so that each job pushes and records one platform image."
    );
  }
  if (split.others.length > 0) {
    const others = split.others.map((other) => `${quote(other.digest)} (${other.mediaType})`).join(", ");
    throw new UserError(
      source,
      `${quote(record.digest)} is an index with entries that are neither its platform image nor an attestation: ${others}.`,
      "Push one platform image per build job, with at most its BuildKit attestations, and record that."
    );
  }
  return { image, attestations: split.attestations };
}
function recordedPlatform(sourced, image) {
  const { source, record } = sourced;
  const pushed = image.platform;
  if (pushed !== void 0 && !fitsPlatform(pushed, record.platform) && !fitsPlatform(record.platform, pushed)) {
    throw new UserError(
      source,
      `records the platform ${quote(formatPlatform(record.platform))}, but its index ${quote(record.digest)} gives the image ${quote(image.digest)} the platform ${quote(formatPlatform(pushed))}.`,
      `Make the build job build the platform it records, or, if the image is right, set platform-overrides: ${image.digest}=${formatPlatform(pushed)}.`
    );
  }
  const stated = pushed ?? record.platform;
  return definedOnly({
    os: stated.os,
    architecture: stated.architecture,
    variant: stated.variant,
    "os.version": stated["os.version"] || record.platform["os.version"] || void 0,
    "os.features": stated["os.features"] ?? record.platform["os.features"]
  });
}
function childrenOfRecord(resolved, overrides) {
  const { sourced, index } = resolved;
  const { record, source } = sourced;
  if (isIndex(record.mediaType) !== (index !== void 0)) {
    throw new Error(
      `collectChildren: record ${source} (${record.mediaType}) must come with its index exactly when it is one`
    );
  }
  const { image, attestations } = index === void 0 ? { image: { mediaType: record.mediaType, digest: record.digest, size: record.size }, attestations: [] } : unwrapIndex(sourced, index);
  const override = findOverride(overrides, sourced, image.digest);
  const platform = override ? override.platform : recordedPlatform(sourced, image);
  const origin = { sources: [source], foundIn: record.images };
  const children = [
    { descriptor: { ...image, platform }, kind: "image", ...origin },
    ...attestations.map((descriptor) => ({ descriptor, kind: "attestation", ...origin }))
  ];
  return override === void 0 ? { children } : { children, override };
}
function checkOverridesUsed(overrides, used, children) {
  const unused = overrides.filter((override) => !used.has(override));
  if (unused.length === 0) return;
  const found = imagesOf(children).map(
    (child) => `${formatPlatform(child.descriptor.platform ?? noPlatform)} ${child.descriptor.digest}`
  );
  found.sort();
  throw new UserError(
    "platform-overrides",
    `${unused.map((override) => quote(formatOverride(override))).join(", ")} ${unused.length === 1 ? "matches" : "match"} no record (the records hold ${found.join(", ") || "nothing"}).`,
    'Correct the digest or platform on the left of "=", or remove the override.'
  );
}
function imagesOf(children) {
  return children.filter((child) => child.kind === "image");
}
function childKey(child) {
  return `${child.kind}
${child.descriptor.digest}
${platformKey(child.descriptor.platform ?? noPlatform)}`;
}
function union(a, b) {
  return [.../* @__PURE__ */ new Set([...a, ...b])];
}
function mergeChildren(children, key = childKey) {
  const merged = /* @__PURE__ */ new Map();
  for (const child of children) {
    const earlier = merged.get(key(child));
    merged.set(
      key(child),
      earlier === void 0 ? { ...child, sources: union(child.sources, []), foundIn: union(child.foundIn, []) } : {
        ...earlier,
        sources: union(earlier.sources, child.sources),
        foundIn: union(earlier.foundIn, child.foundIn)
      }
    );
  }
  return [...merged.values()];
}
function formatAnnotation(annotation) {
  const level = annotation.platform ? `manifest-descriptor[${formatPlatform(annotation.platform)}]` : "manifest-descriptor";
  return `${level}:${annotation.key}=${annotation.value}`;
}
function checkAnnotationPlatforms(annotations, images) {
  const platforms = images.map((child) => child.descriptor.platform ?? noPlatform);
  const unmatched = annotations.filter((annotation) => {
    const wanted = annotation.platform;
    return wanted !== void 0 && !platforms.some((platform) => fitsPlatform(wanted, platform));
  });
  if (unmatched.length === 0) return;
  throw new UserError(
    "annotations",
    `${unmatched.map((annotation) => quote(formatAnnotation(annotation))).join(", ")} ${unmatched.length === 1 ? "names a platform" : "name platforms"} no record has (found ${[...new Set(platforms.map(formatPlatform))].sort().join(", ") || "none"}).`,
    "Correct the platform in brackets, or remove the annotation."
  );
}
function annotate(child, annotations) {
  const platform = child.descriptor.platform;
  if (child.kind !== "image" || platform === void 0) return child;
  const applying = [
    ...annotations.filter((annotation) => annotation.platform === void 0),
    ...annotations.filter((annotation) => annotation.platform && fitsPlatform(annotation.platform, platform))
  ];
  if (applying.length === 0) return child;
  const added = Object.fromEntries(applying.map((annotation) => [annotation.key, annotation.value]));
  return { ...child, descriptor: { ...child.descriptor, annotations: { ...child.descriptor.annotations, ...added } } };
}
function compareChildren(a, b) {
  if (a.kind !== b.kind) return a.kind === "image" ? -1 : 1;
  const byPlatform = a.kind === "image" ? comparePlatforms(a.descriptor.platform ?? noPlatform, b.descriptor.platform ?? noPlatform) : 0;
  return byPlatform || (a.descriptor.digest < b.descriptor.digest ? -1 : a.descriptor.digest > b.descriptor.digest ? 1 : 0);
}
function collectChildren(records, options) {
  const perRecord = records.map((record) => childrenOfRecord(record, options.overrides));
  const children = mergeChildren(perRecord.flatMap((result) => result.children)).map((child) => ({
    ...child,
    sources: [...child.sources].sort(),
    foundIn: [...child.foundIn].sort()
  }));
  const used = new Set(perRecord.flatMap((result) => result.override ? [result.override] : []));
  checkOverridesUsed(options.overrides, used, children);
  checkAnnotationPlatforms(options.annotations.descriptors, imagesOf(children));
  return children.map((child) => annotate(child, options.annotations.descriptors)).sort(compareChildren);
}

// src/publish/plan.ts
function entryKey(descriptor) {
  return `${descriptor.digest}
${descriptor.platform ? platformKey(descriptor.platform) : ""}`;
}
function inIndexOrder(index, children) {
  const byEntry = /* @__PURE__ */ new Map();
  for (const child of children) {
    if (byEntry.has(entryKey(child.descriptor))) {
      throw new Error(`planMerge: ${child.descriptor.digest} is given twice; children must come from collectChildren`);
    }
    byEntry.set(entryKey(child.descriptor), child);
  }
  return index.index.manifests.map((entry) => {
    const child = byEntry.get(entryKey(entry));
    if (child === void 0) throw new Error(`planMerge: index entry ${entry.digest} matches no child`);
    return child;
  });
}
function planTarget(repository, inputs) {
  return { repository, reference: formatRepository(repository), tags: requireTagsFor(repository, inputs.tags) };
}
function planMerge(inputs, children) {
  const index = buildIndex({
    manifests: children.filter((child) => child.kind === "image").map((child) => child.descriptor),
    attestations: children.filter((child) => child.kind === "attestation").map((child) => child.descriptor),
    annotations: inputs.annotations.index
  });
  return {
    index,
    children: inIndexOrder(index, children),
    targets: planTargets(inputs)
  };
}
function planTargets(inputs) {
  return inputs.images.map((repository) => planTarget(repository, inputs));
}
function childLabel(child) {
  if (child.kind === "attestation") return "attestation";
  return child.descriptor.platform ? formatPlatform(child.descriptor.platform) : "no platform";
}
function childLine(child, width) {
  const describes = child.descriptor.annotations?.[attestationAnnotation.digest];
  const suffix = child.kind === "attestation" && describes !== void 0 ? ` (of ${describes})` : "";
  return `  ${childLabel(child).padEnd(width)}  ${child.descriptor.digest}${suffix}`;
}
function formatPlan(plan) {
  const { descriptor } = plan.index;
  const width = Math.max(...plan.children.map((child) => childLabel(child).length), 0);
  const children = plan.children.map((child) => childLine(child, width));
  const lines = [`index ${descriptor.digest} (${descriptor.mediaType}, ${descriptor.size} bytes)`];
  for (const target of plan.targets) {
    lines.push(`${target.reference}`, ...children, `  tags: ${target.tags.join(", ")}`);
  }
  return lines.join("\n");
}

// src/publish/append.ts
async function readExistingTags(inputs, clients) {
  const reads = planTargets(inputs).flatMap(
    (target) => target.tags.map((tag) => readTag(target.repository, tag, clients))
  );
  return (await Promise.all(reads)).filter((existing) => existing !== void 0);
}
async function readTag(repository, tag, clients) {
  const remote = clients.repository(repository);
  const reference = `${formatRepository(repository)}:${tag}`;
  try {
    const manifest = await getManifest(remote, tag);
    const base = { reference, repository: formatRepository(repository) };
    if (isIndex(manifest.descriptor.mediaType))
      return { ...base, entries: parseIndex(manifest.bytes, reference).manifests };
    const platform = await readConfigPlatform(remote, parseImageManifest(manifest.bytes, reference));
    return { ...base, entries: [{ ...manifest.descriptor, platform }] };
  } catch (error) {
    if (isOciError(error, "NOT_FOUND")) return void 0;
    throw explain(error, reference);
  }
}
function platformOf(descriptor) {
  const platform = descriptor.platform;
  if (platform === void 0) return `no platform ${descriptor.digest}`;
  const build = platform["os.version"]?.split(".").slice(0, 3).join(".");
  return platformKey({ ...platform, "os.version": build, "os.features": void 0 });
}
function appendToExisting(fromRecords, existing) {
  const replaced = new Set(fromRecords.filter((child) => child.kind === "image").map((c) => platformOf(c.descriptor)));
  const kept = keptImages(existing, replaced);
  const images = [...kept, ...fromRecords.filter((child) => child.kind === "image")];
  const keptDigests = new Set(images.map((child) => child.descriptor.digest));
  const attestations = existing.flatMap(
    (tag) => tag.entries.filter((entry) => isAttestation(entry)).filter((entry) => keptDigests.has(entry.annotations?.[attestationAnnotation.digest] ?? "")).map((entry) => existingChild(entry, "attestation", tag))
  );
  return mergeChildren(
    [...fromRecords, ...kept, ...attestations],
    (child) => `${child.kind} ${child.descriptor.digest}`
  ).sort(compareChildren);
}
function keptImages(existing, replaced) {
  const byPlatform = /* @__PURE__ */ new Map();
  for (const tag of existing) {
    for (const entry of tag.entries.filter((each) => !isAttestation(each))) {
      if (replaced.has(platformOf(entry))) continue;
      byPlatform.set(platformOf(entry), [
        ...byPlatform.get(platformOf(entry)) ?? [],
        existingChild(entry, "image", tag)
      ]);
    }
  }
  for (const children of byPlatform.values()) checkAgree(children);
  return [...byPlatform.values()].flat();
}
function checkAgree(children) {
  const digests = new Set(children.map((child) => child.descriptor.digest));
  if (digests.size <= 1) return;
  const first = children[0];
  const platform = first.descriptor.platform ? formatPlatform(first.descriptor.platform) : first.descriptor.digest;
  throw new UserError(
    "append",
    `the tags hold different images for ${platform}: ${children.map((child) => `${child.sources.join(", ")} has ${child.descriptor.digest}`).join("; ")}.`,
    "Append to tags that hold the same index, or publish that platform from a record so that it replaces both."
  );
}
function existingChild(descriptor, kind, tag) {
  return { descriptor, kind, sources: [tag.reference], foundIn: [tag.repository] };
}

// src/oci/copy.ts
var emptyTally = () => ({ manifests: 0, blobsMounted: 0, blobsCopied: 0 });
var ManifestCopier = class {
  tally;
  target;
  waitMs;
  manifests;
  ensured = /* @__PURE__ */ new Map();
  constructor(target, options = {}) {
    this.target = target;
    this.manifests = options.manifests ?? /* @__PURE__ */ new Map();
    this.tally = options.tally ?? emptyTally();
    this.waitMs = options.waitMs;
    for (const digest of options.present ?? []) this.ensured.set(digest, Promise.resolve());
  }
  /**
   * Copies manifests the caller found absent. All are registered before any starts, so that one naming another (an
   * attestation and its subject) waits for that copy instead of finding it missing.
   */
  copyAbsent(absent) {
    const copies = absent.map(({ descriptor, sources }) => {
      let start;
      const started = new Promise((resolve) => start = resolve);
      const copy = started.then(() => this.copy(descriptor, sameRegistryFirst(sources, this.target)));
      this.ensured.set(descriptor.digest, copy);
      return { copy, start };
    });
    copies.forEach(({ start }) => start());
    return copies.map(({ copy }) => copy);
  }
  /** Makes a referenced manifest present in the target: known, under way, or asked for and copied when absent. */
  ensure(descriptor, sources) {
    let ensuring = this.ensured.get(descriptor.digest);
    if (ensuring === void 0) {
      ensuring = headManifest(this.target, descriptor.digest).then(
        (found) => found === void 0 ? this.copy(descriptor, sources) : void 0
      );
      this.ensured.set(descriptor.digest, ensuring);
    }
    return ensuring;
  }
  async copy(descriptor, sources) {
    const manifest = await fetchManifest(this.manifests, descriptor, sources);
    await Promise.all(
      referencesOf(manifest).map(async (reference) => {
        if (reference.kind === "manifest") return this.ensure(reference.descriptor, sources);
        if (await headBlob(this.target, reference.descriptor.digest)) return;
        count(this.tally, await transferBlobFromAny(sources, this.target, reference.descriptor));
      })
    );
    await putManifest(this.target, descriptor.digest, manifest, { waitMs: this.waitMs });
    this.tally.manifests++;
  }
};
function count(tally, transfer) {
  if (transfer === "mounted") tally.blobsMounted++;
  else tally.blobsCopied++;
}
function fetchManifest(cache, descriptor, sources) {
  let fetched = cache.get(descriptor.digest);
  if (fetched === void 0) {
    fetched = getFromAny(descriptor, sources);
    cache.set(descriptor.digest, fetched);
    fetched.catch(() => cache.delete(descriptor.digest));
  }
  return fetched;
}
function getFromAny(descriptor, sources) {
  return fromFirstSource(
    sources,
    (source) => getManifest(source, descriptor.digest),
    () => new OciError({ code: "NOT_FOUND", message: `no repository to copy ${descriptor.digest} from` })
  );
}
function sameRegistryFirst(sources, target) {
  const same = sources.filter((source) => source.client === target.client && source.path !== target.path);
  const other = sources.filter((source) => source.client !== target.client);
  return [...same, ...other];
}

// src/oci/registries/refusals.ts
function isImmutableTagRefusal(status, registryCodes) {
  return allProfiles().some(
    ({ immutableTag }) => immutableTag !== void 0 && immutableTag.status === status && registryCodes.includes(immutableTag.registryCode)
  );
}
var dockerListType = "application/vnd.docker.distribution.manifest.list.v2+json";
var dockerManifestTypes = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.v1+json"
];
function foreseeManifestRefusal(profile, manifest) {
  if (manifest.size > profile.maxManifestBytes) {
    return {
      rule: "manifest-size",
      problem: `it is ${manifest.size} bytes, and ${profile.title} takes manifests of at most ${profile.maxManifestBytes} bytes`
    };
  }
  const children = manifest.manifests ?? [];
  if (profile.dockerListChildren === "docker-with-platform" && manifest.mediaType === dockerListType) {
    const refused = children.find(
      (child) => !dockerManifestTypes.includes(child.mediaType) || !child.platform?.os || !child.platform.architecture
    );
    if (refused !== void 0) {
      return {
        rule: "docker-list-children",
        problem: `it is a Docker manifest list, and ${profile.title} takes one only of Docker manifests with an os and architecture, which ${refused.digest} (${refused.mediaType}) is not`
      };
    }
  }
  if (profile.mediaTypeParameters === "refused") {
    const types = [
      manifest.artifactType,
      manifest.config?.mediaType,
      ...(manifest.layers ?? []).flatMap((layer) => [layer.mediaType, layer.artifactType]),
      ...children.flatMap((child) => [child.mediaType, child.artifactType])
    ];
    const parameterised = types.find((type) => type?.includes(";"));
    if (parameterised !== void 0) {
      return {
        rule: "media-type-parameters",
        problem: `it names the media type ${JSON.stringify(parameterised)}, and ${profile.title} refuses media types with parameters`
      };
    }
  }
  return void 0;
}
function foreseeTagRefusal(profile, tag) {
  if (profile.tagPattern.test(tag)) return void 0;
  return {
    rule: "tag",
    problem: `${profile.title} takes tags matching ${profile.tagPattern.source}, which ${JSON.stringify(tag)} does not`
  };
}

// src/publish/foresee.ts
async function foreseeRefusals(plan, checked, manifests) {
  const { target, remote } = checked;
  const profile = remote.client.profile;
  const index = plan.index;
  const ofIndex = foreseeManifestRefusal(profile, { ...index.index, ...index.descriptor });
  if (ofIndex !== void 0) throw indexRefused(target.reference, ofIndex);
  for (const tag of target.tags) {
    const ofTag = foreseeTagRefusal(profile, tag);
    if (ofTag !== void 0) {
      throw new UserError(
        "tags",
        `${quote(tag)} cannot be written to ${target.reference}: ${ofTag.problem}.`,
        "Rename the tag."
      );
    }
  }
  if (profile.mediaTypeParameters !== "refused") return;
  for (const { child, sources } of checked.missing) {
    const manifest = await fetchManifest(manifests, child.descriptor, sources);
    const source = `${sources[0]?.name ?? target.reference}@${child.descriptor.digest}`;
    const parsed = isIndex(manifest.descriptor.mediaType) ? parseIndex(manifest.bytes, source) : parseImageManifest(manifest.bytes, source);
    const refusal = foreseeManifestRefusal(profile, { ...parsed, ...manifest.descriptor });
    if (refusal !== void 0) throw childRefused(target.reference, child, refusal);
  }
}
function indexRefused(reference, refusal) {
  const fix = refusal.rule === "manifest-size" ? "Publish fewer platforms in one index, or shorter `annotations`." : "Leave this registry out of `images`, or publish children it takes.";
  return new UserError(reference, `would refuse the index: ${refusal.problem}.`, fix);
}
function childRefused(reference, child, refusal) {
  const what = child.kind === "attestation" ? "the attestation manifest" : "the image";
  const fix = child.kind === "attestation" ? "Publish with `attestations: drop`, or leave this registry out of `images`." : "Build the image without media-type parameters, or leave this registry out of `images`.";
  return new UserError(
    reference,
    `would refuse ${what} ${child.descriptor.digest} (from ${child.sources.join(", ")}), which this step copies there: ${refusal.problem}.`,
    fix
  );
}

// src/publish/read.ts
async function checkTargets(plan, clients, options) {
  const read = await settleEach(
    plan.targets,
    (target) => target.reference,
    (target) => readTarget(plan, target, clients, options)
  );
  const holds = holdingLookup(read, clients, options);
  const checked = await settleEach(
    read,
    (entry) => entry.target.reference,
    (entry) => findSources(entry, clients, holds)
  );
  await settleEach(
    checked,
    (entry) => entry.target.reference,
    (entry) => foreseeRefusals(plan, entry, options.manifests)
  );
  return checked;
}
function settleEach(items, subjectOf, work) {
  const each = items.map(
    (item) => work(item).catch((error) => {
      throw asUserError(error, subjectOf(item), false);
    })
  );
  return settleAll(each, (failures) => {
    const distinct = [...new Set(failures)];
    return distinct.length === 1 ? distinct[0] : new UserErrors(distinct);
  });
}
async function readTarget(plan, target, clients, options) {
  const remote = clients.repository(target.repository);
  remote.client.hintScopes([pushScope(remote), ...mountSourceScopes(plan.children, remote, clients)]);
  const absent = await Promise.all(
    plan.children.map(async (child) => {
      const pushedHere = child.foundIn.includes(target.reference);
      const waitMs = pushedHere ? consistencyWait(remote, options.consistencyWaitMs) : 0;
      return await headManifest(remote, child.descriptor.digest, { waitMs }) ? void 0 : child;
    })
  );
  return { target, remote, absent: absent.filter((child) => child !== void 0) };
}
function holdingLookup(read, clients, options) {
  const known = new Map(read.map((entry) => [entry.target.reference, entry.absent]));
  const asked = /* @__PURE__ */ new Map();
  return (name, digest) => {
    const absent = known.get(name);
    if (absent !== void 0) return Promise.resolve(!absent.some((child) => child.descriptor.digest === digest));
    const key = `${name}@${digest}`;
    let answer = asked.get(key);
    if (answer === void 0) {
      const repository = clients.repository(parseRepository(name));
      const waitMs = consistencyWait(repository, options.consistencyWaitMs);
      answer = headManifest(repository, digest, { waitMs }).then(
        (found) => found !== void 0,
        (error) => Promise.reject(asUserError(error, name, false))
      );
      asked.set(key, answer);
    }
    return answer;
  };
}
async function findSources(entry, clients, holds) {
  const { target, remote } = entry;
  const missing = await Promise.all(
    entry.absent.map(async (child) => {
      const candidates = child.foundIn.filter((name) => name !== target.reference);
      const holding = await Promise.all(candidates.map((name) => holds(name, child.descriptor.digest)));
      const names = candidates.filter((_, i) => holding[i]);
      if (names.length === 0) throw missingChildError(child, target, candidates);
      return { child, sources: names.map((name) => clients.repository(parseRepository(name))) };
    })
  );
  return { target, remote, missing };
}
function mountSourceScopes(children, target, clients) {
  const names = new Set(children.flatMap((child) => child.foundIn));
  return [...names].map((name) => clients.repository(parseRepository(name))).filter((source) => source.client === target.client && source.path !== target.path).map(pullScope);
}
function missingChildError(child, target, elsewhere) {
  const platform = child.descriptor.platform;
  const what = child.kind === "attestation" ? "attestation manifest" : `${platform?.os}/${platform?.architecture}${platform?.variant ? `/${platform.variant}` : ""} image`;
  const where = elsewhere.length === 0 ? "and its records name no other repository to copy it from" : `nor in ${elsewhere.join(", ")}, where its records say it was pushed too, so there is nothing to copy it from`;
  return new UserError(
    target.reference,
    `the ${what} ${child.descriptor.digest} (from ${child.sources.join(", ")}) is not in this repository, ${where}.`,
    "Check that the build job pushed it here and that no clean-up job deleted it, or re-run that build job."
  );
}

// src/publish/write.ts
async function writeTarget(plan, checked, options) {
  const { target, remote } = checked;
  const childrenCopied = checked.missing.map(({ child }) => child.descriptor.digest);
  const copier = new ManifestCopier(remote, {
    manifests: options.manifests,
    waitMs: options.consistencyWaitMs,
    present: plan.children.map((child) => child.descriptor.digest).filter((digest) => !childrenCopied.includes(digest))
  });
  const copied = copier.tally;
  const tagsWritten = [];
  const outcome = () => {
    const written = inTagOrder(target, tagsWritten);
    return { target, tagsWritten: written, indexWritten: written.length > 0, copied, childrenCopied };
  };
  try {
    await settleAll(
      copier.copyAbsent(checked.missing.map(({ child, sources }) => ({ descriptor: child.descriptor, sources })))
    );
    await mapLimited(target.tags, options.tagConcurrency ?? 16, async (tag) => {
      await putTag(remote, tag, plan, options);
      tagsWritten.push(tag);
    });
    options.logger.info(`${target.reference}: index ${plan.index.descriptor.digest} under ${target.tags.join(", ")}`);
    return outcome();
  } catch (error) {
    return { ...outcome(), error: asUserError(error, target.reference, isWriteRequest(error)) };
  }
}
async function putTag(remote, tag, plan, options) {
  try {
    await putManifest(remote, tag, plan.index, { waitMs: options.consistencyWaitMs });
  } catch (error) {
    if (!(isOciError(error) && isImmutableTagRefusal(error.status, error.registryCodes))) throw error;
    const held = await headManifest(remote, tag).catch(() => void 0);
    if (held?.digest !== plan.index.descriptor.digest) throw error;
    options.logger.info(`${remote.name}:${tag} is immutable and already holds the index ${held.digest}.`);
  }
}
function inTagOrder(target, written) {
  return target.tags.filter((tag) => written.includes(tag));
}
function isWriteRequest(error) {
  return !(isOciError(error) && (error.method === "GET" || error.method === "HEAD"));
}

// src/publish/validate.ts
function imagesOf2(children) {
  return children.flatMap(
    (child) => child.kind === "image" && child.descriptor.platform ? [{ child, platform: child.descriptor.platform }] : []
  );
}
function groupBy(images, key) {
  const groups = /* @__PURE__ */ new Map();
  for (const image of images) {
    const earlier = groups.get(key(image));
    groups.set(key(image), earlier === void 0 ? [image] : [...earlier, image]);
  }
  return [...groups.values()];
}
function isMixed(group, key) {
  return new Set(group.map(key)).size > 1;
}
var digestOf = (image) => image.child.descriptor.digest;
var platformKeyOf = (image) => platformKey(image.platform);
function describeImage(image, shown) {
  const what = shown === "digest" ? quote(digestOf(image)) : formatPlatform(image.platform);
  return `${what} from ${image.child.sources.map(quote).join(", ")}`;
}
function checkDuplicatePlatforms(images, recordsSubject2) {
  const duplicates = groupBy(images, platformKeyOf).filter((group) => isMixed(group, digestOf));
  if (duplicates.length === 0) return;
  const problems = duplicates.map(
    (group) => `${formatPlatform(group[0].platform)} has ${group.length} different images: ${group.map((image) => describeImage(image, "digest")).join(" and ")}`
  );
  throw new UserError(
    recordsSubject2,
    `${problems.join("; ")}.`,
    "Keep one record per platform: remove the stale record, or fix the build job that built the wrong platform."
  );
}
function checkConflictingPlatforms(images, recordsSubject2) {
  const conflicts = groupBy(images, digestOf).filter((group) => isMixed(group, platformKeyOf));
  if (conflicts.length === 0) return;
  const problems = conflicts.map(
    (group) => `${quote(digestOf(group[0]))} is recorded as ${group.map((image) => describeImage(image, "platform")).join(" and as ")}`
  );
  throw new UserError(
    recordsSubject2,
    `${problems.join("; ")}.`,
    "Give each image one platform: correct platform-overrides, or remove the record with the wrong platform."
  );
}
function jobName(platform) {
  const normalized = normalizePlatform(platform);
  return normalized.os === "linux" ? formatPlatform(normalized).slice("linux/".length) : formatPlatform(normalized);
}
function listed(items) {
  return items.length <= 1 ? items[0] ?? "" : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
function missingPlatforms(images, options) {
  const missing = options.platforms.filter(
    (expected) => !images.some((image) => fitsPlatform(expected, image.platform))
  );
  if (missing.length === 0) return void 0;
  const found = [...new Set(images.map((image) => formatPlatform(image.platform)))].join(", ");
  const [verb, pronoun] = missing.length === 1 ? ["is", "it"] : ["are", "them"];
  const jobs = missing.length === 1 ? "job" : "jobs";
  return new UserError(
    "platforms",
    `${listed(missing.map(formatPlatform))} ${verb} expected but no record has ${pronoun} (found ${found}).`,
    `Check the ${listed(missing.map(jobName))} build ${jobs}, or set allow-partial: true.`
  );
}
function checkUnexpectedPlatforms(images, options) {
  const unexpected = images.filter(
    (image) => !options.platforms.some((expected) => fitsPlatform(expected, image.platform))
  );
  if (unexpected.length === 0) return;
  const [verb, pronoun] = unexpected.length === 1 ? ["is", "it"] : ["are", "them"];
  throw new UserError(
    "platforms",
    `${listed(unexpected.map((image) => describeImage(image, "platform")))} ${verb} not expected (platforms: ${options.platforms.map(formatPlatform).join(", ")}).`,
    `Add ${pronoun} to platforms or remove ${unexpected.length === 1 ? "its record" : "their records"}.`
  );
}
function validateChildren(children, options) {
  const images = imagesOf2(children);
  if (images.length === 0) {
    throw new UserError(
      options.recordsSubject,
      "no digest records found.",
      "Check that the build jobs ran before this job (needs:) and wrote their records there."
    );
  }
  checkDuplicatePlatforms(images, options.recordsSubject);
  checkConflictingPlatforms(images, options.recordsSubject);
  if (options.platforms.length === 0) return { warnings: [] };
  const missing = missingPlatforms(images, options);
  if (missing !== void 0 && !options.allowPartial) throw missing;
  checkUnexpectedPlatforms(images, options);
  const warnings = missing === void 0 ? [] : [
    `${missing.subject}: ${missing.problem} Publishing the index with the platforms found, as allow-partial is true.`
  ];
  return { warnings };
}

// src/oci/referrers.ts
import { Readable as Readable2 } from "node:stream";
var emptyConfig = Buffer.from("{}");
var emptyDescriptor = {
  mediaType: MediaType.ociEmpty,
  digest: sha256Digest(emptyConfig),
  size: emptyConfig.length
};
function referrerManifest(artifact, subject) {
  const manifest = definedOnly({
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    artifactType: artifact.artifactType,
    config: emptyDescriptor,
    layers: [layerDescriptor(artifact)],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    ...annotationsOf(artifact)
  });
  const bytes = Buffer.from(JSON.stringify(manifest), "utf8");
  const descriptor = { mediaType: MediaType.ociManifest, digest: sha256Digest(bytes), size: bytes.length };
  return {
    descriptor,
    bytes,
    listed: { ...descriptor, artifactType: artifact.artifactType, ...annotationsOf(artifact) }
  };
}
function fallbackTag(digest) {
  const separator = digest.indexOf(":");
  const algorithm = digest.slice(0, separator).slice(0, 32);
  const encoded = digest.slice(separator + 1).slice(0, 64);
  return `${algorithm}-${encoded}`.replace(/[^a-zA-Z0-9_.-]/g, "-");
}
async function pushReferrers(repository, artifact, subjects) {
  const blobs = [
    { blob: emptyDescriptor, bytes: emptyConfig },
    { blob: layerDescriptor(artifact), bytes: artifact.layer.bytes }
  ];
  await Promise.all(blobs.map(({ blob, bytes }) => uploadBlob(repository, blob, () => Readable2.from(bytes))));
  return Promise.all(subjects.map((subject) => pushReferrer(repository, artifact, subject)));
}
async function pushReferrer(repository, artifact, subject) {
  const manifest = referrerManifest(artifact, subject);
  const answer = await putManifest(repository, manifest.descriptor.digest, manifest);
  const byApi = repository.client.profile.referrers === "api" && answer.subject === subject.digest;
  if (!byApi) await listInFallbackTag(repository, subject.digest, manifest.listed);
  return { subject: subject.digest, descriptor: manifest.listed, listing: byApi ? "api" : "tag-schema" };
}
var fallbackAttempts = 3;
async function listInFallbackTag(repository, subject, referrer) {
  const tag = fallbackTag(subject);
  for (let attempt = 1; ; attempt++) {
    const { index, etag } = await readFallbackIndex(repository, tag);
    if (index.manifests.some((listed2) => listed2.digest === referrer.digest)) return;
    const bytes = encodeIndex({ ...index, manifests: [...index.manifests, referrer] });
    const descriptor = { mediaType: MediaType.ociIndex, digest: sha256Digest(bytes), size: bytes.length };
    try {
      await putManifest(repository, tag, { descriptor, bytes }, etag === void 0 ? {} : { ifMatch: etag });
      return;
    } catch (error) {
      if (attempt >= fallbackAttempts || !(isOciError(error) && error.status === 412)) throw error;
    }
  }
}
async function readFallbackIndex(repository, tag) {
  try {
    const fetched = await getManifest(repository, tag);
    if (!isIndex(fetched.descriptor.mediaType)) {
      throw new OciError({
        code: "REJECTED",
        message: `${repository.name}:${tag} holds a ${fetched.descriptor.mediaType}, not the index of referrers the tag schema keeps there`,
        registry: repository.client.registry
      });
    }
    const index = parseIndex(fetched.bytes, `${repository.name}:${tag}`);
    return { index, ...fetched.etag === void 0 ? {} : { etag: fetched.etag } };
  } catch (error) {
    if (!isOciError(error, "NOT_FOUND")) throw error;
    return { index: { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] } };
  }
}
async function listReferrers(repository, subject, listing) {
  if (listing === "api") {
    const response = await repository.client.request({
      method: "GET",
      path: `/v2/${repository.path}/referrers/${subject}`,
      headers: { accept: MediaType.ociIndex },
      scopes: [pullScope(repository)]
    });
    if (response.status === 200) {
      const bytes = await response.bytes(repository.client.profile.maxManifestBytes);
      return parseIndex(bytes, `${repository.name} referrers of ${subject}`).manifests;
    }
    if (response.status !== 404) {
      throw await responseError(response, "GET", repository.client, `GET ${repository.name} referrers of ${subject}`);
    }
    await response.discard();
  }
  return (await readFallbackIndex(repository, fallbackTag(subject))).index.manifests;
}
function layerDescriptor(artifact) {
  const { mediaType, bytes } = artifact.layer;
  return { mediaType, digest: sha256Digest(bytes), size: bytes.length };
}
function sortedKeys(record) {
  return Object.fromEntries(
    Object.keys(record).sort().map((key) => [key, record[key]])
  );
}
function annotationsOf(artifact) {
  return definedOnly({
    annotations: Object.keys(artifact.annotations).length > 0 ? sortedKeys(artifact.annotations) : void 0
  });
}

// src/publish/verify.ts
async function verifyTarget(plan, result, clients, options = {}) {
  if (!result.indexWritten) return void 0;
  const remote = clients.repository(result.target.repository);
  const waitMs = consistencyWait(remote, options.waitMs);
  const read = (tag) => readTag2(tag, () => headDigest(remote, tag, result.target), plan, { ...options, waitMs });
  const [tags, children] = await Promise.all([
    Promise.all(result.tagsWritten.map(read)),
    // Children the read phase found here moments ago, and that the registry accepted the index over, are there;
    // what this publish copied in is read back, as the tags are.
    Promise.all(
      result.childrenCopied.map(async (digest) => {
        const found = await headManifest(remote, digest, { waitMs });
        return found === void 0 ? digest : void 0;
      })
    )
  ]);
  return {
    target: result.target,
    tags,
    missingChildren: children.filter((digest) => digest !== void 0)
  };
}
async function headDigest(remote, tag, target) {
  try {
    return (await headManifest(remote, tag))?.digest;
  } catch (error) {
    throw explain(error, `${target.reference}:${tag}`);
  }
}
async function readTag2(tag, read, plan, options) {
  const expected = plan.index.descriptor.digest;
  try {
    const digest = await pollUntil(read, (read2) => read2 === expected, { ...options, waitMs: options.waitMs ?? 0 });
    return { tag, digest };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { tag, digest: void 0, unreadable: error.message };
  }
}
function isVerified(verification, plan) {
  const expected = plan.index.descriptor.digest;
  return verification.missingChildren.length === 0 && verification.tags.every((tag) => tag.digest === expected);
}
function verificationError(verification, plan) {
  if (isVerified(verification, plan)) return void 0;
  const expected = plan.index.descriptor.digest;
  const problems = [
    ...verification.tags.filter((tag) => tag.digest !== expected).map(
      (tag) => tag.unreadable !== void 0 ? `tag ${tag.tag} could not be read back (${tag.unreadable})` : tag.digest === void 0 ? `tag ${tag.tag} does not resolve at all` : `tag ${tag.tag} holds ${tag.digest}, not the index just published (${expected})`
    ),
    ...verification.missingChildren.map((digest) => `child ${digest} does not resolve`)
  ];
  const overwritten = verification.tags.some((tag) => tag.digest !== void 0 && tag.digest !== expected);
  return new UserError(
    verification.target.reference,
    `was written, but reading it back: ${problems.join("; ")}.`,
    overwritten ? "Another writer moved the tag after this step: publish each tag from one job at a time (a concurrency group), or let the build jobs publish with `tags` so that the last one includes every platform." : "The registry serves stale or incomplete answers; re-run the job, and report it to the registry operator if it persists."
  );
}
async function verifyReferrer(remote, referrer, options = {}) {
  const where = referrer.listing === "api" ? "the referrers API" : `the tag ${fallbackTag(referrer.subject)}`;
  const read = () => listReferrers(remote, referrer.subject, referrer.listing);
  const isListed = (found) => found.some((entry) => entry.digest === referrer.descriptor.digest);
  try {
    const listed2 = await pollUntil(read, isListed, { ...options, waitMs: consistencyWait(remote, options.waitMs) });
    if (isListed(listed2)) return { served: true };
    return {
      served: false,
      problem: `${where} lists ${listed2.length} referrers of ${referrer.subject}, not ${referrer.descriptor.digest}`
    };
  } catch (error) {
    const explained = explain(error, remote.name);
    if (!(explained instanceof UserError)) throw explained;
    return { served: false, problem: `${where} could not be read: ${explained.problem}` };
  }
}

// src/publish/publish.ts
async function merge(inputs, deps) {
  return publishPlan(await planFromRecords(inputs, deps), inputs, deps);
}
async function publishPlan(planned, inputs, deps) {
  const { logger } = deps;
  const { plan, warnings } = planned;
  warnings.forEach((warning) => logger.warning(warning));
  logger.info(formatPlan(plan));
  const options = { logger, manifests: /* @__PURE__ */ new Map(), consistencyWaitMs: deps.consistencyWaitMs };
  const checked = await logger.group(
    "Check every child in every repository",
    () => checkTargets(plan, deps.clients, options)
  );
  if (inputs["dry-run"]) {
    for (const target of checked) {
      const copies = target.missing.map(({ child }) => child.descriptor.digest);
      logger.info(
        `dry-run: ${target.target.reference} would get ${copies.length ? `copies of ${copies.join(", ")}, ` : ""}the index and tags ${target.target.tags.join(", ")}`
      );
    }
    return { plan, warnings, results: [], verifications: [] };
  }
  const verify = { waitMs: deps.consistencyWaitMs };
  const published = await logger.group(
    inputs.verify ? "Publish and read back" : "Publish",
    () => mapLimited(checked, Math.max(1, checked.length), async (entry) => {
      const result = await writeTarget(plan, entry, options);
      return {
        result,
        verification: inputs.verify ? await verifyTarget(plan, result, deps.clients, verify) : void 0
      };
    })
  );
  return {
    plan,
    warnings,
    results: published.map(({ result }) => result),
    verifications: published.flatMap(({ verification }) => verification ? [verification] : [])
  };
}
async function planFromRecords(inputs, deps) {
  const records = selectRecords(await deps.store.list(), inputs, deps.recordsSubject);
  const resolved = await resolveRecords(records, deps.clients);
  const children = collectChildren(resolved, {
    overrides: inputs["platform-overrides"],
    annotations: inputs.annotations
  });
  const appended = inputs.append ? appendToExisting(children, await readExistingTags(inputs, deps.clients)) : children;
  const published = inputs.attestations === "drop" ? appended.filter((child) => child.kind === "image") : appended;
  const { warnings } = validateChildren(published, {
    platforms: inputs.platforms,
    allowPartial: inputs["allow-partial"],
    recordsSubject: deps.recordsSubject
  });
  return { plan: planMerge(inputs, published), warnings };
}
function failuresOf(outcome) {
  const errors = [
    ...outcome.results.flatMap((result) => result.error ? [result.error] : []),
    ...outcome.verifications.flatMap((verification) => verificationError(verification, outcome.plan) ?? [])
  ];
  if (errors.length === 0) return void 0;
  return errors.length === 1 ? errors[0] : new UserErrors(errors);
}
function selectRecords(records, inputs, recordsSubject2) {
  const wanted = new Set(inputs.images.map(formatRepository));
  const foreign = records.filter(({ record }) => !record.images.some((image) => wanted.has(image)));
  if (foreign.length > 0) {
    const first = foreign[0];
    throw new UserError(
      first.source,
      `is a record of ${first.record.images.map(quote).join(", ")}, none of which is in images (${[...wanted].join(", ")}).`,
      `Remove records of other images from ${recordsSubject2}, or add the repository to images.`
    );
  }
  return [...records];
}
async function resolveRecords(records, clients) {
  return Promise.all(
    records.map(async (sourced) => {
      if (!isIndex(sourced.record.mediaType)) return { sourced };
      return { sourced, index: await fetchIndex(sourced, clients) };
    })
  );
}
async function fetchIndex(sourced, clients) {
  const { images, digest } = sourced.record;
  try {
    return await fromFirstSource(
      images,
      async (image) => parseIndex((await getManifest(clients.repository(parseRepository(image)), digest)).bytes, `${image}@${digest}`),
      () => new OciError({ code: "NOT_FOUND", message: `${sourced.source} names no repository of ${digest}` })
    );
  } catch (error) {
    throw explain(error, sourced.source);
  }
}

// src/records/store.ts
function recordsSubject(recordsPath) {
  return recordsPath === void 0 ? "this run's record artifacts" : "records-path";
}

// src/publish/report.ts
function tagStatus(outcome, reference, tag, dryRun) {
  if (dryRun) return "dry-run";
  const result = outcome.results.find((entry) => entry.target.reference === reference);
  if (!result?.tagsWritten.includes(tag)) return "not written";
  const verification = outcome.verifications.find((entry) => entry.target.reference === reference);
  const reading = verification?.tags.find((entry) => entry.tag === tag);
  if (reading?.unreadable !== void 0) return "not read back";
  if (reading !== void 0 && reading.digest !== outcome.plan.index.descriptor.digest) {
    return reading.digest === void 0 ? "not resolving" : "moved by another writer";
  }
  return verification?.missingChildren.length ? "a child does not resolve" : "published";
}
function summaryRows(outcome, dryRun) {
  const platformOf2 = new Map(
    outcome.plan.children.map((child) => [
      child.descriptor.digest,
      child.descriptor.platform ? formatPlatform(child.descriptor.platform) : "unknown"
    ])
  );
  const label = (child) => {
    if (child.kind === "image") return platformOf2.get(child.descriptor.digest) ?? "unknown";
    const describes = child.descriptor.annotations?.[attestationAnnotation.digest];
    return `attestation of ${(describes && platformOf2.get(describes)) ?? "no image in the index"}`;
  };
  return outcome.plan.targets.flatMap(
    (target) => target.tags.flatMap((tag) => {
      const status = tagStatus(outcome, target.reference, tag, dryRun);
      return outcome.plan.children.map((child) => ({
        image: target.reference,
        tag,
        platform: label(child),
        digest: child.descriptor.digest,
        status
      }));
    })
  );
}
function writtenReferences(outcome) {
  const digest = outcome.plan.index.descriptor.digest;
  return outcome.results.flatMap((result) => [
    ...result.indexWritten ? [`${result.target.reference}@${digest}`] : [],
    ...result.tagsWritten.map((tag) => `${result.target.reference}:${tag}`)
  ]);
}
function summaryMarkdown(outcome, dryRun) {
  const index = outcome.plan.index;
  const rows = summaryRows(outcome, dryRun).map((row) => [
    row.image,
    row.tag,
    row.platform,
    `\`${row.digest}\``,
    row.status
  ]);
  return [
    `### ${dryRun ? "Dry run: index not published" : "Multi-platform index published"}`,
    `Index \`${index.descriptor.digest}\` (${index.descriptor.mediaType})`,
    markdownTable(["image", "tag", "platform", "child digest", "status"], rows),
    ...outcome.warnings.map((warning) => `> **Warning:** ${warning}`),
    codeBlock(index.bytes.toString("utf8"), "json")
  ].join("\n\n");
}

export {
  isIndex,
  isImageManifest,
  isAttestation,
  createRecord,
  serializeRecord,
  recordStore,
  pollUntil,
  openRegistrySession,
  parseIndex,
  parseImageManifest,
  fitsPlatform,
  consistencyWait,
  headManifest,
  getManifest,
  putManifest,
  uploadBlob,
  parseConfigPlatform,
  readConfigPlatform,
  emptyTally,
  fallbackTag,
  pushReferrers,
  verifyReferrer,
  merge,
  publishPlan,
  planFromRecords,
  failuresOf,
  recordsSubject,
  writtenReferences,
  summaryMarkdown
};
