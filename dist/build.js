import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  consistencyWait,
  createRecord,
  emptyTally,
  failuresOf,
  fitsPlatform,
  getManifest,
  headManifest,
  isAttestation,
  isImageManifest,
  isIndex,
  openRegistrySession,
  parseConfigPlatform,
  parseImageManifest,
  parseIndex,
  planFromRecords,
  pollUntil,
  publishPlan,
  putManifest,
  readConfigPlatform,
  recordStore,
  recordsSubject,
  serializeRecord,
  summaryMarkdown,
  uploadBlob
} from "./chunks/chunk-BPZT4MM2.js";
import {
  OciError,
  UserError,
  explain,
  formatPlatform,
  formatRepository,
  isOciError,
  isValidDigest,
  markdownTable,
  parseAttestations,
  parseBoolean,
  parseDigest,
  parseImages,
  parseImagesAndTags,
  parseInputValue,
  parseInsecureRegistries,
  parseList,
  parsePlatformInput,
  parsePlatformList,
  platformKey,
  quote,
  recordName,
  requireValue,
  runAction,
  sha256Digest
} from "./chunks/chunk-JHWYCVPX.js";
import {
  exec,
  which
} from "./chunks/chunk-OUDF353H.js";
import "./chunks/chunk-MF7XEEV7.js";
import "./chunks/chunk-WP646LUM.js";

// src/github/exec.ts
var keptOutputBytes = 1024 * 1024;
function processExec(settings = {}) {
  return async (command, args, options = {}) => {
    const program = await which(command, false);
    if (!program) return { exitCode: 127, notFound: true, stdout: "", stderr: "" };
    const stdout = keptTail();
    const stderr = keptTail();
    const exitCode = await exec(program, [...args], {
      cwd: options.cwd,
      env: environment(options.env),
      silent: options.silent || settings.echo === false,
      ignoreReturnCode: true,
      listeners: { stdout: stdout.add, stderr: stderr.add }
    });
    return { exitCode, stdout: stdout.text(), stderr: stderr.text() };
  };
}
function environment(extra) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== void 0) env[name] = value;
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (value === void 0) delete env[name];
    else env[name] = value;
  }
  return env;
}
function keptTail() {
  let chunks = [];
  let size = 0;
  return {
    add: (chunk) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > 2 * keptOutputBytes) {
        const joined = Buffer.concat(chunks);
        chunks = [joined.subarray(joined.length - keptOutputBytes)];
        size = keptOutputBytes;
      }
    },
    text: () => {
      const joined = Buffer.concat(chunks);
      return joined.subarray(Math.max(0, joined.length - keptOutputBytes)).toString("utf8");
    }
  };
}

// src/build-action/build.ts
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as join5 } from "node:path";

// src/publish/converge.ts
var defaultMaxRounds = 20;
async function publishUntilComplete(inputs, deps, options = {}) {
  const maxRounds = options.maxRounds ?? defaultMaxRounds;
  const planning = { ...inputs, "allow-partial": true };
  let planned = await planFromRecords(planning, deps);
  for (let round = 1; ; round++) {
    const waitingFor = notYetRecorded(planned.plan, inputs.platforms);
    if (waitingFor.length > 0) return { rounds: round - 1, waitingFor };
    const outcome = await publishPlan(planned, { "dry-run": false, verify: false }, deps);
    const failure = failuresOf(outcome);
    if (failure) throw failure;
    const fresh = await planFromRecords(planning, deps);
    const missing = childrenLacking(planned.plan, fresh.plan);
    if (missing.length === 0) return { outcome, rounds: round, waitingFor: [] };
    if (round >= maxRounds) {
      throw new UserError(
        "tags",
        `were published ${round} times and records kept arriving (${missing.join(", ")} after the last round).`,
        "Re-run this job once the other build jobs have finished, or publish from a merge job."
      );
    }
    deps.logger.info(`Round ${round}: records stored meanwhile (${missing.join(", ")}); publishing again.`);
    planned = fresh;
  }
}
function notYetRecorded(plan, platforms) {
  const recorded = plan.children.flatMap(
    (child) => child.kind === "image" && child.descriptor.platform ? [child.descriptor.platform] : []
  );
  return platforms.filter((expected) => !recorded.some((platform) => fitsPlatform(expected, platform)));
}
function childrenLacking(written, fresh) {
  const held = new Set(written.children.map((child) => child.descriptor.digest));
  return fresh.children.filter((child) => !held.has(child.descriptor.digest)).map((child) => child.descriptor.platform ? formatPlatform(child.descriptor.platform) : child.descriptor.digest);
}

// src/build-action/backends/buildah.ts
import { readFile as readFile2 } from "node:fs/promises";
import { join as join3 } from "node:path";

// src/oci/layout.ts
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
var blobFile = (dir, digest) => join(dir, "blobs", ...digest.split(":"));
function layoutError(dir, message) {
  return new OciError({ code: "INVALID_MANIFEST", message: `OCI layout ${dir}: ${message}` });
}
async function readLayoutBlob(image, blob) {
  const bytes = await readFile(blobFile(image.dir, blob.digest));
  if (sha256Digest(bytes) !== blob.digest)
    throw layoutError(image.dir, `the blob of ${blob.digest} does not match its digest`);
  return bytes;
}
async function readLayoutImage(dir) {
  const index = parseIndex(await readFile(join(dir, "index.json")), `${dir}/index.json`);
  const [top, ...others] = index.manifests;
  if (top === void 0 || others.length > 0) {
    throw layoutError(dir, `index.json names ${index.manifests.length} manifests; one image is expected`);
  }
  if (!isImageManifest(top.mediaType)) throw layoutError(dir, `${top.digest} is a ${top.mediaType}, not an image`);
  const bytes = await readFile(blobFile(dir, top.digest));
  if (sha256Digest(bytes) !== top.digest) throw layoutError(dir, `the blob of ${top.digest} does not match its digest`);
  const manifest = parseImageManifest(bytes, `${dir} ${top.digest}`);
  const blobs = [manifest.config, ...manifest.layers.filter((layer) => !layer.urls?.length)];
  const descriptor = { mediaType: top.mediaType, digest: top.digest, size: bytes.length };
  return { dir, manifest: { descriptor, bytes }, config: manifest.config, blobs };
}
async function pushLayoutImage(image, target, mountFrom) {
  const tally = emptyTally();
  await Promise.all(
    image.blobs.map(async (blob) => {
      const transfer = await uploadBlob(
        target,
        blob,
        () => createReadStream(blobFile(image.dir, blob.digest)),
        mountFrom
      );
      if (transfer === "mounted") tally.blobsMounted++;
      if (transfer === "copied") tally.blobsCopied++;
    })
  );
  await putManifest(target, image.manifest.descriptor.digest, image.manifest);
  tally.manifests++;
  return tally;
}

// src/build-action/pushed.ts
async function inspectPushed(images, digest, options) {
  const [first, ...others] = images.map((image) => options.clients.repository(image));
  const [top] = await Promise.all([
    readPushed(first, digest, options),
    ...others.map((repository) => requirePresent(repository, digest, options))
  ]);
  try {
    const image = isIndex(top.descriptor.mediaType) ? await getManifest(first, singleImage(top.bytes, `${first.name}@${digest}`).digest) : top;
    const manifest = parseImageManifest(image.bytes, `${first.name}@${image.descriptor.digest}`);
    return { descriptor: top.descriptor, platform: await readConfigPlatform(first, manifest) };
  } catch (error) {
    throw explain(error, `${first.name}@${digest}`);
  }
}
async function readPushed(repository, digest, options) {
  const waitMs = consistencyWait(repository, options.waitMs);
  try {
    return await getManifest(repository, digest, { waitMs });
  } catch (error) {
    if (isOciError(error, "NOT_FOUND")) throw notPushed(repository, digest, options);
    throw explain(error, repository.name);
  }
}
async function requirePresent(repository, digest, options) {
  const waitMs = consistencyWait(repository, options.waitMs);
  const found = await headManifest(repository, digest, { waitMs }).catch((error) => {
    throw explain(error, repository.name);
  });
  if (found === void 0) throw notPushed(repository, digest, options);
}
function notPushed(repository, digest, options) {
  return new UserError(`${repository.name}@${digest}`, "is not in the registry.", options.notPushedFix);
}
function singleImage(bytes, source) {
  const images = parseIndex(bytes, source).manifests.filter((descriptor) => !isAttestation(descriptor));
  const [image, ...others] = images;
  if (image !== void 0 && others.length === 0) return image;
  throw new UserError(
    source,
    `is an index of ${images.length} images (${images.map((each) => each.platform ? formatPlatform(each.platform) : each.digest).join(", ")}), not one platform.`,
    "Build one platform per job: the merge makes the multi-platform index."
  );
}
function isVersionWithin(version, prefix) {
  return version !== void 0 && (version === prefix || version.startsWith(`${prefix}.`));
}
function confirmPlatform(asked, actual, reference) {
  const bare = (platform) => ({
    os: platform.os,
    architecture: platform.architecture,
    ...platform.variant === void 0 ? {} : { variant: platform.variant }
  });
  const askedVersion = asked["os.version"];
  const pushedVersion = actual["os.version"];
  if (askedVersion !== void 0 && !isVersionWithin(pushedVersion, askedVersion)) {
    throw new UserError(
      "platform",
      `asks for os.version ${askedVersion}, but the image pushed (${reference}) has ${pushedVersion === void 0 ? "none" : pushedVersion} in its config.`,
      `Build on a base image of ${askedVersion}, or change the os.version in platform.`
    );
  }
  if (platformKey(bare(asked)) !== platformKey(bare(actual))) {
    throw new UserError(
      "platform",
      `is ${formatPlatform(bare(asked))}, but the image pushed (${reference}) is ${formatPlatform(bare(actual))} according to its config.`,
      `Build for ${formatPlatform(bare(asked))} (the builder's --platform, a Dockerfile that does not pin another platform), or set platform to what the job really builds.`
    );
  }
  return {
    ...bare(actual),
    ...actual["os.version"] === void 0 ? {} : { "os.version": actual["os.version"] },
    ...actual["os.features"] === void 0 ? {} : { "os.features": actual["os.features"] }
  };
}

// src/build-action/backends/backend.ts
async function runTool(exec2, tool, args, options) {
  const result = await exec2(tool.command, args, options);
  if (!result.notFound) return result;
  throw new UserError("builder", `needs ${tool.command}, which is not installed on this runner.`, tool.missingFix);
}
function platformArgument(platform) {
  const { os, architecture, variant } = platform;
  return formatPlatform({ os, architecture, ...variant === void 0 ? {} : { variant } });
}
function repeated(flag, values) {
  return values.flatMap((value) => [flag, value]);
}

// src/build-action/backends/secrets.ts
import { writeFile } from "node:fs/promises";
import { join as join2 } from "node:path";
function secretArgument(secret) {
  return "file" in secret ? `id=${secret.id},src=${secret.file}` : `id=${secret.id},env=${secret.env}`;
}
async function secretSources(inputs, options) {
  const fromValues = inputs.secrets.map(
    (secret, index) => writeSecret(options, secret.id, `secret-${index}`, secret.value)
  );
  const fromEnvs = inputs["secret-envs"].map((secret, index) => {
    const value = options.env[secret.value];
    if (value === void 0) {
      const fix = `Set ${secret.value} in the step's env: (e.g. from a secret), or remove the line.`;
      return Promise.reject(new UserError("secret-envs", `names ${secret.value}, which is not set.`, fix));
    }
    return options.envAsFile ? writeSecret(options, secret.id, `secret-env-${index}`, value) : Promise.resolve({ id: secret.id, env: secret.value });
  });
  const fromFiles = inputs["secret-files"].map((secret) => ({ id: secret.id, file: secret.value }));
  return [...await Promise.all([...fromValues, ...fromEnvs]), ...fromFiles];
}
async function writeSecret(options, id, fileName, value) {
  options.logger.secret(value);
  const file = join2(options.workDir, fileName);
  await writeFile(file, value, { mode: 384 });
  return { id, file };
}

// src/build-action/backends/buildah.ts
function buildahBudArguments(inputs, command) {
  return [
    "bud",
    "--platform",
    platformArgument(inputs.platform),
    "--iidfile",
    command.imageIdFile,
    ...inputs.file === void 0 ? [] : ["--file", inputs.file],
    ...inputs.target === void 0 ? [] : ["--target", inputs.target],
    ...repeated("--build-arg", inputs["build-args"]),
    ...repeated("--label", inputs.labels),
    ...repeated("--annotation", inputs.annotations),
    ...repeated("--secret", command.secrets.map(secretArgument)),
    ...inputs["no-cache"] ? ["--no-cache"] : [],
    ...inputs.pull ? ["--pull=always"] : [],
    ...command.sourceDateEpoch ? ["--timestamp", command.sourceDateEpoch] : [],
    inputs.context
  ];
}
var buildah = {
  command: "buildah",
  missingFix: "Install buildah on the runner (apt-get install buildah), or use builder: buildx."
};
async function runBuildah(exec2, args, what) {
  const result = await runTool(exec2, buildah, args);
  if (result.exitCode === 0) return;
  throw new UserError(
    `buildah ${what}`,
    `failed (exit ${result.exitCode}).`,
    "Its log above says why; nothing was pushed."
  );
}
async function buildWithBuildah({ inputs, workDir, exec: exec2, clients, logger, env }) {
  const imageIdFile = join3(workDir, "image-id");
  const secrets = await secretSources(inputs, { workDir, logger, envAsFile: true, env });
  await runBuildah(
    exec2,
    buildahBudArguments(inputs, { imageIdFile, secrets, sourceDateEpoch: env["SOURCE_DATE_EPOCH"] }),
    "bud"
  );
  const imageId = (await readFile2(imageIdFile, "utf8")).trim();
  const layoutDir = join3(workDir, "layout");
  try {
    await runBuildah(exec2, ["push", "--quiet", imageId, `oci:${layoutDir}:image`], "push (to a local OCI layout)");
  } finally {
    await exec2("buildah", ["rmi", "--force", imageId], { silent: true }).catch(() => void 0);
  }
  const image = await readLayoutImage(layoutDir);
  const configSource = `${layoutDir} ${image.config.digest}`;
  try {
    const platform = parseConfigPlatform(await readLayoutBlob(image, image.config), configSource);
    confirmPlatform(inputs.platform, platform, imageId);
  } catch (error) {
    throw explain(error, configSource);
  }
  await pushToEveryImage(image, inputs.images, clients);
  return image.manifest.descriptor.digest;
}
var buildahBackend = {
  name: "buildah",
  run: buildWithBuildah,
  // BuildKit attestations and BuildKit cache exporters have no buildah equivalent here.
  refuses: {
    inputs: ["provenance", "sbom", "cache-from", "cache-to"],
    problem: "is a BuildKit option that builder buildah does not have.",
    fix: (input) => `Remove \`${input}\`, or use builder: buildx.`
  },
  digest: "refused",
  tool: buildah,
  notPushedFix: "Retry the job; if it persists, the registry lost the upload."
};
async function pushToEveryImage(image, images, clients) {
  const registries = [...new Set(images.map((repository) => repository.registry))];
  await Promise.all(
    registries.map(async (registry) => {
      const repositories = images.filter((repository) => repository.registry === registry);
      let pushedTo;
      for (const repository of repositories) {
        const target = clients.repository(repository);
        const mountFrom = pushedTo === void 0 ? void 0 : clients.repository(pushedTo);
        await pushLayoutImage(image, target, mountFrom).catch((error) => {
          throw explain(error, formatRepository(repository), { writing: true });
        });
        pushedTo = repository;
      }
    })
  );
}

// src/build-action/backends/buildx.ts
import { readFile as readFile3 } from "node:fs/promises";
import { join as join4 } from "node:path";
function optionalFlag(flag, value) {
  return value === void 0 ? [] : [flag, value];
}
function withCacheScope(entry, scope) {
  const fields = entry.split(",").map((field) => field.trim());
  if (!fields.includes("type=gha") || fields.some((field) => field.startsWith("scope="))) return entry;
  return `${entry},scope=${scope}`;
}
function csvField(field) {
  return /[",\r\n]/.test(field) || field.startsWith(" ") ? `"${field.replaceAll('"', '""')}"` : field;
}
var annotationLevels = ["manifest", "manifest-descriptor", "index", "index-descriptor"];
var annotationKey = /^\S+$/;
function annotationAttributes(line) {
  const fail = (problem) => {
    throw new UserError(
      "annotations",
      `${JSON.stringify(line)} ${problem}`,
      "Write key=value, or level:key=value with a level of manifest, manifest-descriptor, index or index-descriptor (manifest[linux/amd64]:key=value for one platform)."
    );
  };
  const equals = line.indexOf("=");
  if (equals === -1) fail("is not key=value.");
  const name = line.slice(0, equals);
  const value = line.slice(equals + 1);
  const colon = name.indexOf(":");
  const key = name.slice(colon + 1);
  if (!annotationKey.test(key)) fail(`has ${key === "" ? "an empty key" : "a key with white space"}.`);
  if (colon === -1) return [`annotation.${key}=${value}`];
  const [, levels = "", platform] = /^([a-z,-]*)(?:\[([A-Za-z0-9_/-]+)\])?$/.exec(name.slice(0, colon)) ?? [];
  return levels.split(",").map((level) => {
    if (!annotationLevels.includes(level)) fail(`has the unknown level ${JSON.stringify(level)}.`);
    if (platform !== void 0 && level.startsWith("index")) fail(`gives the ${level} level a platform.`);
    return `annotation-${level}${platform === void 0 ? "" : `[${platform}]`}.${key}=${value}`;
  });
}
function imageOutput(inputs) {
  const names = inputs.images.map(formatRepository).join(",");
  const annotations = inputs.annotations.flatMap(annotationAttributes).map(csvField);
  return [
    "type=image",
    `"name=${names}"`,
    "push-by-digest=true",
    "name-canonical=true",
    "push=true",
    ...annotations
  ].join(",");
}
function buildxArguments(inputs, command) {
  const cache = (values) => values.map((value) => withCacheScope(value, command.cacheScope));
  return [
    "buildx",
    "build",
    "--platform",
    platformArgument(inputs.platform),
    "--output",
    imageOutput(inputs),
    "--metadata-file",
    command.metadataFile,
    ...optionalFlag("--file", inputs.file),
    ...optionalFlag("--target", inputs.target),
    ...repeated("--build-arg", inputs["build-args"]),
    ...repeated("--label", inputs.labels),
    ...repeated("--secret", command.secrets.map(secretArgument)),
    ...optionalFlag("--provenance", inputs.provenance),
    ...optionalFlag("--sbom", inputs.sbom),
    ...repeated("--cache-from", cache(inputs["cache-from"])),
    ...repeated("--cache-to", cache(inputs["cache-to"])),
    ...inputs["no-cache"] ? ["--no-cache"] : [],
    ...inputs.pull ? ["--pull"] : [],
    inputs.context
  ];
}
function parseBuilderDriver(inspectOutput) {
  return /^Driver:[ \t]*(\S*)/m.exec(inspectOutput)?.[1];
}
async function checkBuilder(exec2, inputs) {
  const inspect = await runTool(exec2, docker, ["buildx", "inspect"], { silent: true });
  if (inspect.exitCode !== 0) {
    throw new UserError(
      "builder",
      `is buildx, but \`docker buildx inspect\` failed (exit ${inspect.exitCode}): ${inspect.stderr.trim().slice(-500)}`,
      "Add docker/setup-buildx-action before this step, or use builder: buildah on runners without Docker."
    );
  }
  const driver = parseBuilderDriver(inspect.stdout);
  if (driver === "") {
    throw new UserError(
      "builder",
      "is buildx, but `docker buildx inspect` shows no driver: there is no usable builder.",
      "Add docker/setup-buildx-action before this step: it creates a docker-container builder."
    );
  }
  if (driver === "docker") {
    throw new UserError(
      "builder",
      "is buildx, but the current builder uses the `docker` driver, which cannot push an image by digest.",
      inputs.platform.os === "windows" ? "Windows runners have only that driver: build and push with docker there, and record the digest with builder: none." : "Add docker/setup-buildx-action before this step: it creates a docker-container builder."
    );
  }
}
function digestFromMetadata(text, file) {
  let digest;
  try {
    digest = JSON.parse(text)["containerimage.digest"];
  } catch {
    digest = void 0;
  }
  if (typeof digest === "string" && isValidDigest(digest)) return digest;
  throw new UserError(
    "builder",
    `buildx finished, but its metadata file ${file} has no "containerimage.digest".`,
    "Use a buildx version that writes --metadata-file (v0.6 or later), with an image output that pushes."
  );
}
var docker = {
  command: "docker",
  missingFix: "Add docker/setup-buildx-action before this step, or use builder: buildah on runners without Docker."
};
async function runBuildx({ inputs, workDir, cacheScope, exec: exec2, logger, env }) {
  await checkBuilder(exec2, inputs);
  const metadataFile = join4(workDir, "metadata.json");
  const secrets = await secretSources(inputs, { workDir, logger, envAsFile: false, env });
  const result = await runTool(exec2, docker, buildxArguments(inputs, { metadataFile, cacheScope, secrets }));
  if (result.exitCode !== 0) {
    throw new UserError(
      "docker buildx build",
      `failed (exit ${result.exitCode}).`,
      "The build log above says why; nothing was recorded."
    );
  }
  return digestFromMetadata(await readFile3(metadataFile, "utf8").catch(() => ""), metadataFile);
}
var buildxBackend = {
  name: "buildx",
  run: runBuildx,
  digest: "refused",
  tool: docker,
  notPushedFix: "Check that the buildx output pushed to every image (the build log above)."
};

// src/build-action/types.ts
var buildOptionInputs = [
  "file",
  "target",
  "build-args",
  "labels",
  "annotations",
  "secrets",
  "secret-files",
  "secret-envs",
  "provenance",
  "sbom",
  "cache-from",
  "cache-to"
];

// src/build-action/backends/none.ts
var noBuildBackend = {
  name: "none",
  run: ({ inputs }) => inputs.digest === void 0 ? Promise.reject(new Error("builder none without a digest: parseBuildInputs lets none through")) : Promise.resolve(inputs.digest),
  refuses: {
    inputs: buildOptionInputs,
    problem: "is set, but builder is none, so nothing is built here.",
    fix: (input) => `Remove \`${input}\`, or build here with builder: buildx or buildah.`
  },
  digest: "required",
  notPushedFix: "Push the image to every repository in `images` before this step, by digest, or list only those it went to."
};

// src/build-action/backends/builders.ts
var backends = [buildxBackend, buildahBackend, noBuildBackend];

// src/build-action/build.ts
async function build(inputs, deps) {
  const { logger } = deps;
  const images = inputs.images.map(formatRepository);
  await deps.store.ready();
  const backend = backends.find((each) => each.name === inputs.builder);
  if (backend === void 0) throw new Error(`build: no backend ${inputs.builder}; parseBuildInputs lets none through`);
  const workDir = await mkdtemp(join5(deps.tempDir || tmpdir(), "multiarch-publish-"));
  try {
    const title = `${backend.tool ? "Build and push" : "Record"} ${formatPlatform(inputs.platform)}`;
    const digest = await logger.group(
      title,
      () => backend.run({
        inputs,
        workDir,
        cacheScope: recordName(images, inputs.platform),
        exec: deps.exec,
        clients: deps.clients,
        logger,
        env: deps.env
      })
    );
    const pushed = await inspectPushed(inputs.images, digest, {
      clients: deps.clients,
      notPushedFix: backend.notPushedFix,
      waitMs: deps.consistencyWaitMs
    });
    const platform = confirmPlatform(inputs.platform, pushed.platform, `${images[0]}@${digest}`);
    const record = createRecord({
      digest,
      mediaType: pushed.descriptor.mediaType,
      size: pushed.descriptor.size,
      platform,
      images,
      run: deps.run
    });
    const name = recordName(images, inputs.platform);
    await deps.store.put(record, name);
    logger.info(`Recorded ${formatPlatform(platform)} ${digest} as ${name}`);
    if (inputs.publish === void 0) return { record, recordName: name };
    if (inputs["records-path"] !== void 0 && deps.onRunner) logger.warning(sharedDirectoryWarning);
    const waitMs = deps.consistencyWaitMs ?? recordListingWaitMs;
    const listed = await awaitListed(deps.store, record, waitMs, recordsSubject(inputs["records-path"]));
    const published = await publishUntilComplete(inputs.publish, {
      store: primed(deps.store, listed),
      recordsSubject: recordsSubject(inputs["records-path"]),
      clients: deps.clients,
      logger,
      consistencyWaitMs: deps.consistencyWaitMs
    });
    return { record, recordName: name, published };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
var recordListingWaitMs = 5e3;
var sharedDirectoryWarning = "records-path with tags: every build job of the run must store its record in this same directory (one machine, or a shared volume). Jobs on separate runners each see only their own record; leave records-path empty to use the run\u2019s artifacts.";
async function awaitListed(store, record, waitMs, subject) {
  const listed = await pollUntil(
    () => store.list(),
    (records) => records.some((each) => each.record.digest === record.digest),
    { waitMs }
  );
  if (listed.some((each) => each.record.digest === record.digest)) return listed;
  throw new UserError(
    subject,
    `does not list the record this job stored (${record.digest}) ${Math.round(waitMs / 1e3)} s after storing it.`,
    "Re-run the job; if it persists, publish from a merge job instead of with `tags`."
  );
}
function primed(store, listed) {
  let first = listed;
  return {
    ready: () => store.ready(),
    put: (record, name) => store.put(record, name),
    list: () => {
      const records = first;
      first = void 0;
      return records === void 0 ? store.list() : Promise.resolve(records);
    }
  };
}

// src/build-action/inputs.ts
function optional(raw) {
  const value = raw.trim();
  return value === "" ? void 0 : value;
}
function parseBuilder(raw) {
  const value = raw.trim() === "" ? "buildx" : raw.trim();
  const backend = backends.find((each) => each.name === value);
  if (backend !== void 0) return backend;
  const names = backends.map((each) => each.name).join(", ");
  throw new UserError("builder", `${quote(value)} is not a builder.`, `Use one of ${names}.`);
}
function parseSecrets(name, raw) {
  return parseList(name, raw, { ignoreComma: true, sensitive: true }).map((item, index) => {
    const equals = item.indexOf("=");
    const id = equals > 0 ? item.slice(0, equals).trim() : "";
    if (id !== "" && /^[A-Za-z0-9_.-]+$/.test(id)) return { id, value: item.slice(equals + 1) };
    throw new UserError(
      name,
      `item ${index + 1} does not start with an id and "=" (an id is made of A-Z a-z 0-9 _ . -).`,
      "Write one secret per line as id=value."
    );
  });
}
function parseSingleDigest(raw) {
  const value = optional(raw);
  if (value === void 0) return void 0;
  const fix = "Pass the pushed image's digest, e.g. docker/build-push-action's `steps.<id>.outputs.digest`.";
  return parseInputValue("digest", value, parseDigest, fix);
}
function parseBuildInputs(get) {
  const images = parseImages("images", requireValue("images", get("images")));
  const backend = parseBuilder(get("builder"));
  const inputs = {
    images,
    platform: parsePlatformInput("platform", requireValue("platform", get("platform"))),
    builder: backend.name,
    digest: parseSingleDigest(get("digest")),
    context: optional(get("context")) ?? ".",
    file: optional(get("file")),
    target: optional(get("target")),
    "build-args": parseList("build-args", get("build-args"), { ignoreComma: true }),
    labels: parseList("labels", get("labels"), { ignoreComma: true }),
    annotations: parseList("annotations", get("annotations"), { ignoreComma: true }),
    secrets: parseSecrets("secrets", get("secrets")),
    "secret-files": parseSecrets("secret-files", get("secret-files")),
    "secret-envs": parseSecrets("secret-envs", get("secret-envs")),
    provenance: optional(get("provenance")),
    sbom: optional(get("sbom")),
    "cache-from": parseList("cache-from", get("cache-from"), { ignoreComma: true }),
    "cache-to": parseList("cache-to", get("cache-to"), { ignoreComma: true }),
    "no-cache": parseBoolean("no-cache", get("no-cache"), false),
    pull: parseBoolean("pull", get("pull"), false),
    "records-path": optional(get("records-path")),
    "insecure-registries": parseInsecureRegistries(get("insecure-registries")),
    publish: parsePublish(get)
  };
  checkBuilderCombination(inputs, backend);
  return inputs;
}
function parsePublish(get) {
  if (get("tags").trim() === "") return void 0;
  return {
    ...parseImagesAndTags(get("images"), get("tags")),
    platforms: parsePlatformList("platforms", get("platforms")),
    attestations: parseAttestations(get("attestations")),
    annotations: { index: {}, descriptors: [] },
    "platform-overrides": [],
    "allow-partial": false,
    append: false,
    "dry-run": false,
    verify: true
  };
}
function isSet(value) {
  return Array.isArray(value) ? value.length > 0 : value !== void 0;
}
function checkBuilderCombination(inputs, backend) {
  if (backend.digest === "required" && inputs.digest === void 0) {
    throw new UserError(
      "digest",
      `is required with builder: ${backend.name} (it records an image another step pushed).`,
      "Pass that step's digest output, or remove `builder: none` to build here."
    );
  }
  if (backend.digest === "refused" && inputs.digest !== void 0) {
    throw new UserError(
      "digest",
      `is set, but builder is ${backend.name}, which pushes its own image.`,
      "Remove `digest`, or set `builder: none` to record the image another step pushed."
    );
  }
  const { refuses } = backend;
  const refused = refuses?.inputs.find((name) => isSet(inputs[name]));
  if (refuses && refused !== void 0) throw new UserError(refused, refuses.problem, refuses.fix(refused));
}

// src/build-action/summary.ts
function buildReport({ record, recordName: recordName2, published }) {
  const rows = record.images.map((image) => [image, formatPlatform(record.platform), `\`${record.digest}\``]);
  return {
    outputs: {
      digest: record.digest,
      platform: formatPlatform(record.platform),
      "record-name": recordName2,
      record: serializeRecord(record).trim(),
      "index-digest": published?.outcome?.plan.index.descriptor.digest ?? ""
    },
    summary: [
      `### Pushed ${formatPlatform(record.platform)} by digest`,
      markdownTable(["image", "platform", "digest"], rows),
      `Record \`${recordName2}\` (${record.mediaType}). ${publishedNote(published)}`,
      ...published?.outcome ? [summaryMarkdown(published.outcome, false)] : []
    ].join("\n\n")
  };
}
function publishedNote(published) {
  if (published === void 0) return "The merge step publishes it under the tags.";
  if (published.outcome === void 0) {
    const waiting = published.waitingFor.map(formatPlatform).join(", ");
    return `Not published from this job: no record of ${waiting} yet; the job that records the last platform publishes.`;
  }
  const rounds = `${published.rounds} round${published.rounds === 1 ? "" : "s"}`;
  return `Published with every record of the run this job saw (${rounds}):`;
}

// src/build-action/main.ts
await runAction(
  async (context) => {
    const inputs = parseBuildInputs(context.input);
    const session = openRegistrySession({
      env: context.env,
      logger: context.logger,
      insecureRegistries: inputs["insecure-registries"]
    });
    try {
      const store = recordStore(inputs["records-path"], inputs.images.map(formatRepository), context);
      const outcome = await build(inputs, {
        store,
        clients: session.clients,
        exec: processExec(),
        logger: context.logger,
        env: context.env,
        ...context.runner
      });
      await context.report(buildReport(outcome));
    } finally {
      await session.close();
    }
  },
  { secretInputs: ["secrets"] }
);
