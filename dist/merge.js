import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  failuresOf,
  merge,
  openRegistrySession,
  recordStore,
  recordsSubject,
  summaryMarkdown,
  writtenReferences
} from "./chunks/chunk-RAH6S3W3.js";
import {
  UserError,
  formatRepository,
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
} from "./chunks/chunk-SOLZHZ3W.js";
import "./chunks/chunk-GIZ2IB7J.js";
import "./chunks/chunk-ENREGAGY.js";

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
    "insecure-registries": parseInsecureRegistries(get("insecure-registries"))
  };
}

// src/merge-action/summary.ts
function mergeReport(outcome, dryRun) {
  const index = outcome.plan.index;
  return {
    outputs: {
      digest: index.descriptor.digest,
      images: writtenReferences(outcome).join("\n"),
      index: index.bytes.toString("utf8")
    },
    summary: summaryMarkdown(outcome, dryRun)
  };
}

// src/merge-action/main.ts
await runAction(async (context) => {
  const inputs = parseMergeInputs(context.input);
  const recordsPath = inputs["records-path"];
  const session = openRegistrySession({
    env: context.env,
    logger: context.logger,
    insecureRegistries: inputs["insecure-registries"]
  });
  try {
    const outcome = await merge(inputs, {
      store: recordStore(recordsPath, inputs.images.map(formatRepository), context),
      recordsSubject: recordsSubject(recordsPath),
      clients: session.clients,
      logger: context.logger
    });
    await context.report(mergeReport(outcome, inputs["dry-run"]));
    const failure = failuresOf(outcome);
    if (failure) throw failure;
  } finally {
    await session.close();
  }
});
