import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  failuresOf,
  fallbackTag,
  merge,
  openRegistrySession,
  pushReferrers,
  recordStore,
  recordsSubject,
  summaryMarkdown,
  verifyReferrer,
  writtenReferences
} from "./chunks/chunk-BPZT4MM2.js";
import {
  UserError,
  UserErrors,
  asUserError,
  formatPlatform,
  formatRepository,
  markdownTable,
  optionalValue,
  parseAttestations,
  parseBoolean,
  parseDigest,
  parseImagesAndTags,
  parseInputValue,
  parseInsecureRegistries,
  parseList,
  parsePlatform,
  parsePlatformInput,
  parsePlatformList,
  platformKey,
  quote,
  runAction
} from "./chunks/chunk-JHWYCVPX.js";
import "./chunks/chunk-OUDF353H.js";
import "./chunks/chunk-MF7XEEV7.js";
import "./chunks/chunk-WP646LUM.js";

// src/github/attest.ts
import { readFileSync } from "node:fs";
var slsaProvenance = "https://slsa.dev/provenance/v1";
var attestingServer = /^https:\/\/(github\.com|[a-z0-9-]+\.ghe\.com)$/;
function checkAttestable(env, githubToken) {
  const server = serverUrl(env);
  if (!attestingServer.test(server)) {
    throw new UserError(
      "attest",
      `is true, but this job runs on GitHub Enterprise Server (${server}), which offers no artifact attestations.`,
      "Set attest: false there; to sign anyway, pass the merge\u2019s `subjects` and `subject-names` outputs to cosign (docs/provenance.md)."
    );
  }
  if (!env["ACTIONS_ID_TOKEN_REQUEST_URL"] || !env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]) {
    throw new UserError(
      "attest",
      "is true, but the job cannot request the OIDC token that Sigstore signs with (ACTIONS_ID_TOKEN_REQUEST_URL is not set): it lacks the `id-token: write` permission.",
      "Grant the merge job `permissions: id-token: write` and `attestations: write` (with the reusable workflow, grant them to the job that calls it)."
    );
  }
  if (githubToken === "") {
    throw new UserError(
      "github-token",
      "is empty, but attest: true stores the attestation through GitHub\u2019s attestations API with it.",
      "Leave github-token at its default, the job\u2019s GITHUB_TOKEN."
    );
  }
}
function sigstoreInstance(event) {
  const repository = event?.repository;
  return repository?.visibility === "public" ? "public-good" : "github";
}
function provenanceSigner(context, githubToken) {
  const { env, logger } = context;
  checkAttestable(env, githubToken);
  logger.secret(env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] ?? "");
  const instance = sigstoreInstance(readEvent(env["GITHUB_EVENT_PATH"]));
  return async (subjects) => {
    logger.info(
      instance === "public-good" ? "Signing with Sigstore\u2019s public-good instance (Fulcio, Rekor), as for every public repository." : "Signing with GitHub\u2019s Sigstore instance (Fulcio, timestamp authority), as for a private or internal repository."
    );
    const { attestProvenance } = await import("./chunks/lib-BTXVWFJD.js");
    let attestation;
    try {
      attestation = await attestProvenance({
        subjects: subjects.map(({ name, digest }) => ({ name, digest: { sha256: digest.replace(/^sha256:/, "") } })),
        token: githubToken,
        sigstore: instance
      });
    } catch (error) {
      throw new UserError(
        "attest",
        `signing or storing the provenance attestation failed: ${error instanceof Error ? error.message : String(error)}.`,
        "Check that the merge job has `id-token: write` and `attestations: write`; a private repository stores attestations only on GitHub Enterprise Cloud (docs/provenance.md).",
        { cause: error }
      );
    }
    const id = attestation.attestationID;
    return {
      bundle: Buffer.from(JSON.stringify(attestation.bundle), "utf8"),
      mediaType: attestation.bundle.mediaType,
      predicateType: slsaProvenance,
      instance,
      ...id === void 0 ? {} : { id, url: `${serverUrl(env)}/${env["GITHUB_REPOSITORY"]}/attestations/${id}` }
    };
  };
}
function serverUrl(env) {
  return (env["GITHUB_SERVER_URL"] || "https://github.com").replace(/\/+$/, "");
}
function readEvent(path) {
  if (!path) return void 0;
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return void 0;
  }
}

// src/merge-action/inputs.ts
var maxAnnotationBytes = 64 * 1024;
var levelPattern = /^([a-z-]+)(?:\[([^\]]*)\])?$/;
function parseLevel(line, text) {
  const [, level, platform] = levelPattern.exec(text) ?? [];
  const fail = (problem, fix) => new UserError("annotations", `${quote(line)} ${problem}`, fix);
  if (level === "index" && platform === void 0) return { level: "index" };
  if (level === "index") throw fail("gives the index level a platform.", "Write index:key=value.");
  if (level === "manifest-descriptor") {
    if (platform === void 0) return { level: "descriptor" };
    return { level: "descriptor", platform: parsePlatformInput("annotations", platform) };
  }
  if (level === "manifest") {
    throw fail(
      "is a manifest-level annotation, but the merge writes only the index; each image manifest comes from a build job.",
      "Set manifest annotations in the build step (docker/metadata-action with DOCKER_METADATA_ANNOTATIONS_LEVELS=manifest,index gives both levels) and pass only the index: ones here."
    );
  }
  if (level === "index-descriptor") {
    throw fail("is an index-descriptor annotation, but no parent index refers to this one.", "Use index:key=value.");
  }
  throw fail(
    `has the unknown level ${quote(text)}.`,
    "Use index: (or no prefix) for the index, manifest-descriptor: or manifest-descriptor[os/arch]: for its entries."
  );
}
function parseAnnotationLine(line) {
  const equals = line.indexOf("=");
  if (equals === -1) {
    throw new UserError("annotations", `${quote(line)} is not key=value.`, "Write key=value or index:key=value.");
  }
  const name = line.slice(0, equals);
  const colon = name.indexOf(":");
  const key = name.slice(colon + 1);
  if (key === "" || /\s/.test(key)) {
    throw new UserError(
      "annotations",
      `${quote(line)} has ${key === "" ? "an empty key" : `a key with white space, ${quote(key)}`}.`,
      "Write the key without spaces, e.g. org.opencontainers.image.description=My app."
    );
  }
  const targets = colon === -1 ? [{ level: "index" }] : name.slice(0, colon).split(",").map((text) => parseLevel(line, text));
  return { targets, key, value: line.slice(equals + 1) };
}
function checkAnnotationSize(entries) {
  const sizes = entries.map(([key, value]) => [key, Buffer.byteLength(key) + Buffer.byteLength(value)]);
  const total = sizes.reduce((sum, [, size]) => sum + size, 0);
  if (total <= maxAnnotationBytes) return;
  const [largestKey, largestSize] = sizes.reduce((largest, entry) => entry[1] > largest[1] ? entry : largest);
  throw new UserError(
    "annotations",
    `add up to ${total} bytes, more than ${maxAnnotationBytes} (the largest, ${quote(largestKey)}, has ${largestSize}).`,
    "Shorten the annotations: every client reads them with the index on every pull."
  );
}
function parseAnnotations(raw) {
  const index = /* @__PURE__ */ new Map();
  const descriptors = /* @__PURE__ */ new Map();
  for (const line of parseList("annotations", raw, { ignoreComma: true })) {
    const { targets, key, value } = parseAnnotationLine(line);
    for (const target of targets) {
      if (target.level === "index") index.set(key, value);
      else if (target.platform === void 0) descriptors.set(`*
${key}`, { key, value });
      else descriptors.set(`${platformKey(target.platform)}
${key}`, { platform: target.platform, key, value });
    }
  }
  checkAnnotationSize([...index, ...[...descriptors.values()].map(({ key, value }) => [key, value])]);
  return { index: Object.fromEntries(index), descriptors: [...descriptors.values()] };
}
function parsePlatformOverride(item) {
  const name = "platform-overrides";
  const fix = "Write <digest>=<platform> or <platform>=<platform>, e.g. linux/arm=linux/arm/v7.";
  const equals = item.lastIndexOf("=");
  if (equals === -1) throw new UserError(name, `${quote(item)} has no "=".`, fix);
  const [from, to] = [item.slice(0, equals).trim(), item.slice(equals + 1).trim()];
  const match = from.includes(":") ? { digest: parseInputValue(name, from, parseDigest, fix) } : { platform: parseInputValue(name, from, parsePlatform, fix) };
  return { match, platform: parseInputValue(name, to, parsePlatform, fix) };
}
function parsePlatformOverrides(raw) {
  const seen = /* @__PURE__ */ new Map();
  return parseList("platform-overrides", raw).map((item) => {
    const override = parsePlatformOverride(item);
    const key = "digest" in override.match ? override.match.digest : platformKey(override.match.platform);
    const earlier = seen.get(key);
    if (earlier !== void 0) {
      throw new UserError(
        "platform-overrides",
        `${quote(item)} overrides what ${quote(earlier)} already overrides.`,
        "Keep one override per digest or platform."
      );
    }
    seen.set(key, item);
    return override;
  });
}
function parseMergeInputs(get) {
  return {
    ...parseImagesAndTags(get("images"), get("tags")),
    platforms: parsePlatformList("platforms", get("platforms")),
    annotations: parseAnnotations(get("annotations")),
    "platform-overrides": parsePlatformOverrides(get("platform-overrides")),
    "allow-partial": parseBoolean("allow-partial", get("allow-partial"), false),
    attestations: parseAttestations(get("attestations")),
    append: parseBoolean("append", get("append"), false),
    "dry-run": parseBoolean("dry-run", get("dry-run"), false),
    verify: parseBoolean("verify", get("verify"), true),
    "records-path": optionalValue(get("records-path")),
    "insecure-registries": parseInsecureRegistries(get("insecure-registries")),
    attest: parseBoolean("attest", get("attest"), false),
    "github-token": get("github-token")
  };
}

// src/publish/provenance.ts
function provenanceSubjects(plan) {
  const name = plan.targets[0]?.reference ?? "";
  const images = plan.children.filter((child) => child.kind === "image");
  return [
    { name, digest: plan.index.descriptor.digest, what: "index", descriptor: plan.index.descriptor },
    ...images.map(({ descriptor }) => ({
      name,
      digest: descriptor.digest,
      what: descriptor.platform ? formatPlatform(descriptor.platform) : "image",
      descriptor
    }))
  ];
}
function subjectChecksums(subjects) {
  return subjects.map((subject) => `${subject.digest.slice(subject.digest.indexOf(":") + 1)}  ${subject.name}`).join("\n");
}
async function attestPublished(outcome, deps) {
  const { logger } = deps;
  const subjects = provenanceSubjects(outcome.plan);
  if (outcome.results.length === 0) {
    logger.info(
      `dry-run: attest would sign a provenance attestation of ${subjects.length} subjects and attach it in ${outcome.plan.targets.map((target) => target.reference).join(", ")}`
    );
    return void 0;
  }
  if (failuresOf(outcome)) {
    logger.info("attest: nothing is signed, since publishing failed; a re-run that publishes signs then.");
    return void 0;
  }
  let attestation;
  try {
    attestation = await logger.group("Sign the provenance attestation", () => deps.sign(subjects));
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { subjects, targets: [], error };
  }
  const artifact = bundleArtifact(attestation);
  const targets = await logger.group(
    "Attach it to every subject in every image",
    () => Promise.all(outcome.plan.targets.map((target) => attachInTarget(target, subjects, artifact, deps)))
  );
  return { subjects, attestation, targets };
}
function bundleArtifact(attestation) {
  return {
    artifactType: attestation.mediaType,
    layer: { mediaType: attestation.mediaType, bytes: attestation.bundle },
    annotations: {
      "dev.sigstore.bundle.content": "dsse-envelope",
      "dev.sigstore.bundle.predicateType": attestation.predicateType
    }
  };
}
async function attachInTarget(target, subjects, artifact, deps) {
  const remote = deps.clients.repository(target.repository);
  let referrers;
  try {
    referrers = await pushReferrers(
      remote,
      artifact,
      subjects.map((subject) => subject.descriptor)
    );
  } catch (error) {
    return { target, referrers: [], error: asUserError(error, target.reference, true) };
  }
  const index = referrers[0];
  const listedIn = index.listing === "api" ? "its referrers API" : "the fallback tag";
  deps.logger.info(
    `${target.reference}: attestation attached to ${referrers.length} subjects, for the index in ${listedIn}`
  );
  if (!deps.verify) return { target, referrers };
  return { target, referrers, reading: await verifyReferrer(remote, index, { waitMs: deps.consistencyWaitMs }) };
}
function provenanceFailure(outcome) {
  if (outcome === void 0) return void 0;
  if (outcome.error) return outcome.error;
  const errors = outcome.targets.flatMap((entry) => {
    if (entry.error) return [entry.error];
    if (entry.reading === void 0 || entry.reading.served) return [];
    return [
      new UserError(
        entry.target.reference,
        `accepted the attestation but does not serve it for the index (${entry.reading.problem}).`,
        "The registry serves stale or incomplete answers; re-run the job, and report it to the registry operator if it persists."
      )
    ];
  });
  if (errors.length === 0) return void 0;
  return errors.length === 1 ? errors[0] : new UserErrors(errors);
}

// src/merge-action/summary.ts
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
function mergeReport(outcome, options) {
  const index = outcome.plan.index;
  const attestation = options.provenance?.attestation;
  return {
    outputs: {
      digest: index.descriptor.digest,
      images: writtenReferences(outcome).join("\n"),
      index: index.bytes.toString("utf8"),
      subjects: subjectChecksums(provenanceSubjects(outcome.plan)),
      "subjects-file": options.subjectsFile,
      "subject-names": outcome.plan.targets.map((target) => target.reference).join("\n"),
      "attestation-id": attestation?.id ?? "",
      "attestation-url": attestation?.url ?? ""
    },
    summary: [
      summaryMarkdown(outcome, options.dryRun),
      ...options.provenance ? [provenanceMarkdown(options.provenance)] : []
    ].join("\n\n")
  };
}
async function writeSubjectsFile(outcome, tempDir) {
  const dir = await mkdtemp(join(tempDir ?? tmpdir(), "multiarch-publish-"));
  const file = join(dir, "subjects.txt");
  await writeFile(file, `${subjectChecksums(provenanceSubjects(outcome.plan))}
`);
  return file;
}
var instanceTitles = {
  "public-good": "Sigstore\u2019s public-good instance (Fulcio, Rekor)",
  github: "GitHub\u2019s Sigstore instance (Fulcio, timestamp authority)"
};
function provenanceMarkdown(provenance) {
  const attestation = provenance.attestation;
  if (attestation === void 0) {
    return ["### Provenance attestation: not signed", `> **Error:** ${provenance.error?.message ?? ""}`].join("\n\n");
  }
  const stored = attestation.url ? `, stored as [attestation ${attestation.id}](${attestation.url})` : "";
  const subjects = provenance.subjects.map((subject) => [subject.what, `\`${subject.digest}\``]);
  const rows = provenance.targets.flatMap((entry) => targetRows(entry, provenance));
  return [
    "### Provenance attestation",
    `\`${attestation.predicateType}\`, signed with ${instanceTitles[attestation.instance] ?? attestation.instance}${stored}.`,
    markdownTable(["subject", "digest"], subjects),
    markdownTable(["image", "subject", "attestation manifest", "listed in", "status"], rows)
  ].join("\n\n");
}
function targetRows(entry, provenance) {
  const image = entry.target.reference;
  if (entry.error) return [[image, "all", "", "", `failed: ${entry.error.problem}`]];
  return entry.referrers.map((referrer, position) => {
    const what = provenance.subjects.find((subject) => subject.digest === referrer.subject)?.what ?? referrer.subject;
    const listed = referrer.listing === "api" ? "referrers API" : `tag \`${fallbackTag(referrer.subject)}\``;
    const reading = position === 0 ? entry.reading : void 0;
    const status = reading === void 0 ? "attached" : reading.served ? "served" : `not served: ${reading.problem}`;
    return [image, what, `\`${referrer.descriptor.digest}\``, listed, status];
  });
}

// src/merge-action/main.ts
await runAction(
  async (context) => {
    const inputs = parseMergeInputs(context.input);
    const sign = inputs.attest ? provenanceSigner(context, inputs["github-token"]) : void 0;
    const recordsPath = inputs["records-path"];
    const session = openRegistrySession({
      env: context.env,
      logger: context.logger,
      insecureRegistries: inputs["insecure-registries"]
    });
    try {
      const deps = { clients: session.clients, logger: context.logger };
      const outcome = await merge(inputs, {
        ...deps,
        store: recordStore(recordsPath, inputs.images.map(formatRepository), context),
        recordsSubject: recordsSubject(recordsPath)
      });
      const provenance = sign && await attestPublished(outcome, { ...deps, sign, verify: inputs.verify });
      const subjectsFile = await writeSubjectsFile(outcome, context.runner.tempDir);
      await context.report(mergeReport(outcome, { dryRun: inputs["dry-run"], provenance, subjectsFile }));
      const failure = failuresOf(outcome) ?? provenanceFailure(provenance);
      if (failure) throw failure;
    } finally {
      await session.close();
    }
  },
  { secretInputs: ["github-token"] }
);
