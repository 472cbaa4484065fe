import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  attestationAnnotation,
  buildIndex,
  consistencyDelays,
  copyManifest,
  emptyTally,
  getManifest,
  headManifest,
  isIndex,
  openRegistrySession,
  parseIndex,
  pullScope,
  pushScope,
  putManifest,
  recordStore,
  splitIndex
} from "./chunks/chunk-F6ZVQM4D.js";
import {
  OciError,
  UserError,
  UserErrors,
  codeBlock,
  comparePlatforms,
  explain,
  formatPlatform,
  formatRepository,
  isOciError,
  isValidTag,
  markdownTable,
  normalizePlatform,
  parseBoolean,
  parseDigest,
  parseImages,
  parseInputValue,
  parseList,
  parsePlatform,
  parsePlatformInput,
  parseReference,
  parseRepository,
  platformKey,
  quote,
  runAction
} from "./chunks/chunk-423ITFCH.js";
import "./chunks/chunk-H2G7GUQL.js";

// src/publish/inputs.ts
var maxAnnotationBytes = 64 * 1024;
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
function parsePlatforms(raw) {
  const seen = /* @__PURE__ */ new Map();
  return parseList("platforms", raw).map((item) => {
    const platform = parsePlatformInput("platforms", item);
    const earlier = seen.get(platformKey(platform));
    if (earlier !== void 0) {
      throw new UserError("platforms", `${quote(item)} is the same platform as ${quote(earlier)}.`, "List it once.");
    }
    seen.set(platformKey(platform), item);
    return platform;
  });
}
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
function parseInsecureRegistry(item) {
  const name = "insecure-registries";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(item)) {
    const host = item.replace(/^[^:]+:\/\//, "").replace(/\/.*$/, "");
    throw new UserError(name, `${quote(item)} is a URL.`, `Write the registry as host[:port], e.g. ${quote(host)}.`);
  }
  let repository;
  try {
    repository = parseRepository(`${item}/probe`);
  } catch (error) {
    if (!(error instanceof OciError)) throw error;
  }
  if (repository?.path !== "probe") {
    throw new UserError(
      name,
      `${quote(item)} is not a registry host[:port].`,
      "Write the registry as it appears in `images`, e.g. localhost:5000 or registry.internal:5000."
    );
  }
  return repository.registry;
}
function optionalValue(raw) {
  const value = raw.trim();
  return value === "" ? void 0 : value;
}
function parseMergeInputs(get) {
  return {
    ...parseImagesAndTags(get("images"), get("tags")),
    platforms: parsePlatforms(get("platforms")),
    annotations: parseAnnotations(get("annotations")),
    "platform-overrides": parsePlatformOverrides(get("platform-overrides")),
    "allow-partial": parseBoolean("allow-partial", get("allow-partial"), false),
    "dry-run": parseBoolean("dry-run", get("dry-run"), false),
    verify: parseBoolean("verify", get("verify"), true),
    "records-path": optionalValue(get("records-path")),
    "insecure-registries": [
      ...new Set(parseList("insecure-registries", get("insecure-registries")).map(parseInsecureRegistry))
    ]
  };
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
  return normalizePlatform({
    ...record.platform,
    "os.version": record.platform["os.version"] || pushed?.["os.version"],
    "os.features": record.platform["os.features"] ?? pushed?.["os.features"]
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
  const platform = override ? normalizePlatform(override.platform) : recordedPlatform(sourced, image);
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
  return [.../* @__PURE__ */ new Set([...a, ...b])].sort();
}
function mergeDuplicates(children) {
  const merged = /* @__PURE__ */ new Map();
  for (const child of children) {
    const earlier = merged.get(childKey(child));
    merged.set(
      childKey(child),
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
  const children = mergeDuplicates(perRecord.flatMap((result) => result.children));
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
  const reference = formatRepository(repository);
  const tags = inputs.tags.filter((target) => target.repository === void 0 || formatRepository(target.repository) === reference).map((target) => target.tag);
  if (tags.length === 0) {
    throw new UserError(
      "tags",
      `has no tag for the image ${quote(reference)}: every tag names another repository.`,
      `Add a tag for it, e.g. ${quote(`${reference}:latest`)}, or remove it from images.`
    );
  }
  return { repository, reference, tags: [...new Set(tags)] };
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
    targets: inputs.images.map((repository) => planTarget(repository, inputs))
  };
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

// src/publish/publish.ts
var defaultConsistencyWaitMs = 5e3;
var consistencyWait = (options) => options.consistencyWaitMs ?? defaultConsistencyWaitMs;
async function checkTargets(plan, clients, options) {
  const read = await settleEach(
    plan.targets,
    (target) => target.reference,
    (target) => readTarget(plan, target, clients, options)
  );
  const holds = holdingLookup(read, clients, options);
  return settleEach(
    read,
    (entry) => entry.target.reference,
    (entry) => findSources(entry, clients, holds)
  );
}
async function settleEach(items, subjectOf, work) {
  const settled = await Promise.allSettled(items.map(work));
  const failures = settled.flatMap(
    (result, i) => result.status === "rejected" ? [asUserError(result.reason, subjectOf(items[i]), false)] : []
  );
  const distinct = [...new Set(failures)];
  if (distinct.length === 1) throw distinct[0];
  if (distinct.length > 1) throw new UserErrors(distinct);
  return settled.map((result) => result.value);
}
async function readTarget(plan, target, clients, options) {
  const remote = clients.repository(target.repository);
  remote.client.hintScopes([pushScope(remote), ...mountSourceScopes(plan.children, remote, clients)]);
  const absent = await Promise.all(
    plan.children.map(async (child) => {
      const pushedHere = child.foundIn.includes(target.reference);
      const waitMs = pushedHere ? consistencyWait(options) : 0;
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
      const waitMs = consistencyWait(options);
      answer = headManifest(clients.repository(parseRepository(name)), digest, { waitMs }).then(
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
async function writeTargets(plan, checked, options) {
  return Promise.all(checked.map((entry) => writeTarget(plan, entry, options)));
}
async function writeTarget(plan, checked, options) {
  const { target, remote } = checked;
  const copied = emptyTally();
  const tagsWritten = [];
  let indexWritten = false;
  try {
    await settleThenThrow(
      checked.missing.map(({ child, sources }) => copyManifest(child.descriptor, sources, remote, copied))
    );
    await putManifest(remote, plan.index.descriptor.digest, plan.index, { waitMs: consistencyWait(options) });
    indexWritten = true;
    await forEachLimited(target.tags, options.tagConcurrency ?? 5, async (tag) => {
      await putManifest(remote, tag, plan.index);
      tagsWritten.push(tag);
    });
    options.logger.info(`${target.reference}: index ${plan.index.descriptor.digest} under ${target.tags.join(", ")}`);
    return { target, tagsWritten: inTagOrder(target, tagsWritten), indexWritten, copied };
  } catch (error) {
    return {
      target,
      tagsWritten: inTagOrder(target, tagsWritten),
      indexWritten,
      copied,
      error: asUserError(error, target.reference, true)
    };
  }
}
function inTagOrder(target, written) {
  return target.tags.filter((tag) => written.includes(tag));
}
function asUserError(error, subject, writing) {
  const explained = explain(error, subject, { writing });
  if (explained instanceof UserError) return explained;
  throw explained;
}
async function settleThenThrow(work) {
  const failed = (await Promise.allSettled(work)).find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
}
async function forEachLimited(items, limit, work) {
  let next = 0;
  const errors = [];
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item).catch((error) => errors.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (errors.length > 0) throw errors[0];
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
function checkDuplicatePlatforms(images, recordsSubject) {
  const duplicates = groupBy(images, platformKeyOf).filter((group) => isMixed(group, digestOf));
  if (duplicates.length === 0) return;
  const problems = duplicates.map(
    (group) => `${formatPlatform(group[0].platform)} has ${group.length} different images: ${group.map((image) => describeImage(image, "digest")).join(" and ")}`
  );
  throw new UserError(
    recordsSubject,
    `${problems.join("; ")}.`,
    "Keep one record per platform: remove the stale record, or fix the build job that built the wrong platform."
  );
}
function checkConflictingPlatforms(images, recordsSubject) {
  const conflicts = groupBy(images, digestOf).filter((group) => isMixed(group, platformKeyOf));
  if (conflicts.length === 0) return;
  const problems = conflicts.map(
    (group) => `${quote(digestOf(group[0]))} is recorded as ${group.map((image) => describeImage(image, "platform")).join(" and as ")}`
  );
  throw new UserError(
    recordsSubject,
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

// src/publish/verify.ts
import { setTimeout as sleep } from "node:timers/promises";
async function verifyTargets(plan, results, clients, options = {}) {
  return Promise.all(
    results.filter((result) => result.indexWritten).map(async (result) => {
      const remote = clients.repository(result.target.repository);
      const read = (tag) => readTag(() => headDigest(remote, tag, result.target), plan, options);
      const [tags, children] = await Promise.all([
        Promise.all(result.tagsWritten.map(async (tag) => ({ tag, digest: await read(tag) }))),
        Promise.all(
          plan.children.map(async (child) => {
            const found = await headManifest(remote, child.descriptor.digest, { waitMs: options.waitMs ?? 0 });
            return found === void 0 ? child.descriptor.digest : void 0;
          })
        )
      ]);
      return {
        target: result.target,
        tags,
        missingChildren: children.filter((digest) => digest !== void 0)
      };
    })
  );
}
async function headDigest(remote, tag, target) {
  try {
    return (await headManifest(remote, tag))?.digest;
  } catch (error) {
    throw explain(error, `${target.reference}:${tag}`);
  }
}
async function readTag(read, plan, options) {
  const wait = options.sleep ?? ((ms) => sleep(ms));
  const expected = plan.index.descriptor.digest;
  let digest = await read();
  for (const delay of consistencyDelays(options.waitMs ?? 0)) {
    if (digest === expected) break;
    await wait(delay);
    digest = await read();
  }
  return digest;
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
      (tag) => tag.digest === void 0 ? `tag ${tag.tag} does not resolve at all` : `tag ${tag.tag} holds ${tag.digest}, not the index just published (${expected})`
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

// src/publish/merge.ts
async function merge(inputs, deps) {
  const { logger } = deps;
  const records = selectRecords(await deps.store.list(), inputs, deps.recordsSubject);
  const resolved = await resolveRecords(records, deps.clients);
  const children = collectChildren(resolved, {
    overrides: inputs["platform-overrides"],
    annotations: inputs.annotations
  });
  const { warnings } = validateChildren(children, {
    platforms: inputs.platforms,
    allowPartial: inputs["allow-partial"],
    recordsSubject: deps.recordsSubject
  });
  warnings.forEach((warning) => logger.warning(warning));
  const plan = planMerge(inputs, children);
  logger.info(formatPlan(plan));
  const options = { logger, consistencyWaitMs: deps.consistencyWaitMs };
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
  const results = await logger.group("Publish", () => writeTargets(plan, checked, options));
  const verifications = inputs.verify ? await logger.group(
    "Verify every tag and child",
    () => verifyTargets(plan, results, deps.clients, { waitMs: deps.consistencyWaitMs ?? defaultConsistencyWaitMs })
  ) : [];
  return { plan, warnings, results, verifications };
}
function failuresOf(outcome) {
  const errors = [
    ...outcome.results.flatMap((result) => result.error ? [result.error] : []),
    ...outcome.verifications.flatMap((verification) => verificationError(verification, outcome.plan) ?? [])
  ];
  if (errors.length === 0) return void 0;
  return errors.length === 1 ? errors[0] : new UserErrors(errors);
}
function selectRecords(records, inputs, recordsSubject) {
  const wanted = new Set(inputs.images.map(formatRepository));
  const foreign = records.filter(({ record }) => !record.images.some((image) => wanted.has(image)));
  if (foreign.length > 0) {
    const first = foreign[0];
    throw new UserError(
      first.source,
      `is a record of ${first.record.images.map(quote).join(", ")}, none of which is in images (${[...wanted].join(", ")}).`,
      `Remove records of other images from ${recordsSubject}, or add the repository to images.`
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
  let lastError;
  for (const image of sourced.record.images) {
    const repository = clients.repository(parseRepository(image));
    try {
      const manifest = await getManifest(repository, sourced.record.digest);
      return parseIndex(manifest.bytes, `${image}@${sourced.record.digest}`);
    } catch (error) {
      lastError = error;
      if (!isOciError(error, "NOT_FOUND")) break;
    }
  }
  throw explain(lastError, sourced.source);
}

// src/publish/summary.ts
function tagStatus(outcome, reference, tag, dryRun) {
  if (dryRun) return "dry-run";
  const result = outcome.results.find((entry) => entry.target.reference === reference);
  if (!result?.tagsWritten.includes(tag)) return "not written";
  const verification = outcome.verifications.find((entry) => entry.target.reference === reference);
  const reading = verification?.tags.find((entry) => entry.tag === tag);
  if (reading === void 0 || reading.digest === outcome.plan.index.descriptor.digest) return "published";
  return reading.digest === void 0 ? "not resolving" : "moved by another writer";
}
function summaryRows(outcome, dryRun) {
  const images = outcome.plan.children.filter((child) => child.kind === "image");
  return outcome.plan.targets.flatMap((target) => {
    return target.tags.flatMap((tag) => {
      const status = tagStatus(outcome, target.reference, tag, dryRun);
      return images.map((child) => ({
        image: target.reference,
        tag,
        platform: child.descriptor.platform ? formatPlatform(child.descriptor.platform) : "unknown",
        digest: child.descriptor.digest,
        status
      }));
    });
  });
}
function writtenReferences(outcome) {
  const digest = outcome.plan.index.descriptor.digest;
  return outcome.results.flatMap((result) => [
    ...result.indexWritten ? [`${result.target.reference}@${digest}`] : [],
    ...result.tagsWritten.map((tag) => `${result.target.reference}:${tag}`)
  ]);
}

// src/merge/main.ts
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
      store: recordStore(recordsPath, inputs.images, context),
      recordsSubject: recordsPath === void 0 ? "this run's record artifacts" : "records-path",
      clients: session.clients,
      logger: context.logger
    });
    await report(context, outcome, inputs["dry-run"]);
    const failure = failuresOf(outcome);
    if (failure) throw failure;
  } finally {
    await session.close();
  }
});
async function report(context, outcome, dryRun) {
  const index = outcome.plan.index;
  context.setOutput("digest", index.descriptor.digest);
  context.setOutput("images", writtenReferences(outcome).join("\n"));
  context.setOutput("index", index.bytes.toString("utf8"));
  const rows = summaryRows(outcome, dryRun).map((row) => [
    row.image,
    row.tag,
    row.platform,
    `\`${row.digest}\``,
    row.status
  ]);
  await context.appendSummary(
    [
      `### ${dryRun ? "Dry run: index not published" : "Multi-platform index published"}`,
      `Index \`${index.descriptor.digest}\` (${index.descriptor.mediaType})`,
      markdownTable(["image", "tag", "platform", "child digest", "status"], rows),
      ...outcome.warnings.map((warning) => `> **Warning:** ${warning}`),
      codeBlock(index.bytes.toString("utf8"), "json")
    ].join("\n\n")
  );
}
