import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  OciError,
  UserError,
  actionsServer,
  codeSpan,
  formatPlatform,
  markdownTable,
  normalizePlatform,
  parseBoolean,
  parseInputValue,
  parsePlatform,
  parsePlatformList,
  platformPair,
  quote,
  requireValue,
  runAction
} from "./chunks/chunk-JHWYCVPX.js";
import "./chunks/chunk-OUDF353H.js";
import "./chunks/chunk-MF7XEEV7.js";
import "./chunks/chunk-WP646LUM.js";

// src/matrix-action/inputs.ts
var ruleFix = 'Write one rule a line: PLATFORM=LABEL or PLATFORM=["self-hosted","LABEL"], e.g. linux/arm64=my-arm-runner.';
function parsePlatforms(raw) {
  const platforms = parsePlatformList("platforms", requireValue("platforms", raw));
  if (platforms.length === 0) {
    throw new UserError(
      "platforms",
      `lists no platform: ${quote(raw)}.`,
      "List the platforms, e.g. linux/amd64,linux/arm64."
    );
  }
  return platforms;
}
function parseOsPrefix(line, os) {
  try {
    return [normalizePlatform(parsePlatform(`${os}/amd64`)).os];
  } catch (error) {
    if (!(error instanceof OciError)) throw error;
    throw new UserError(
      "runners",
      `${quote(line)} starts with ${quote(os)}, which is not an operating system.`,
      "Start the rule with an os such as linux or windows, or an os/architecture such as linux/arm64.",
      { cause: error }
    );
  }
}
function parsePlatformPrefix(line, text) {
  const written = parseInputValue("runners", text, parsePlatform, ruleFix);
  if (written["os.version"] !== void 0 || written["os.features"] !== void 0) {
    throw new UserError(
      "runners",
      `${quote(line)} names an os version or feature, but rules match only os/architecture/variant.`,
      `Write the rule for ${quote(`${written.os}/${written.architecture}`)}.`
    );
  }
  const normalized = normalizePlatform(written);
  const keepsEveryVariant = written.variant === void 0 && normalized.architecture === written.architecture;
  if (keepsEveryVariant) return [normalized.os, normalized.architecture];
  return [normalized.os, normalized.architecture, ...normalized.variant === void 0 ? [] : [normalized.variant]];
}
function parsePrefix(line, text) {
  return /[/()]/.test(text) ? parsePlatformPrefix(line, text) : parseOsPrefix(line, text);
}
function parseLabelArray(line, text) {
  let labels;
  try {
    labels = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError("runners", `${quote(line)} has labels that are not valid JSON (${reason}).`, ruleFix);
  }
  if (!isLabelList(labels)) {
    throw new UserError("runners", `${quote(line)} needs a JSON array of non-empty label strings.`, ruleFix);
  }
  return labels.map((label) => label.trim());
}
function isLabelList(value) {
  return Array.isArray(value) && value.length > 0 && value.every((label) => typeof label === "string" && label.trim() !== "");
}
function parseRunsOn(line, text) {
  if (text.startsWith("[")) return parseLabelArray(line, text);
  if (text === "") throw new UserError("runners", `${quote(line)} has no runner label after "=".`, ruleFix);
  if (/[\s,"']/.test(text)) {
    const labels = text.split(/[\s,"']+/).filter((label) => label !== "");
    throw new UserError(
      "runners",
      `${quote(line)} has a label with a comma, quote or space in it.`,
      `Write several labels as a JSON array: \`${line.slice(0, line.indexOf("=")).trim()}=${JSON.stringify(labels)}\`.`
    );
  }
  return text;
}
function parseRule(line) {
  const equals = line.indexOf("=");
  if (equals === -1) throw new UserError("runners", `${quote(line)} has no "=".`, ruleFix);
  const prefixText = line.slice(0, equals).trim();
  if (prefixText === "") throw new UserError("runners", `${quote(line)} has no platform before "=".`, ruleFix);
  const prefix = parsePrefix(line, prefixText);
  return { prefix, "runs-on": parseRunsOn(line, line.slice(equals + 1).trim()) };
}
function parseRunners(raw) {
  const lines = raw.split(/\r\n|\r|\n/).map((line) => line.trim()).filter((line) => line !== "");
  const seen = /* @__PURE__ */ new Map();
  return lines.map((line) => {
    const rule = parseRule(line);
    const earlier = seen.get(rule.prefix.join("/"));
    if (earlier !== void 0) {
      throw new UserError("runners", `${quote(line)} is for the same platforms as ${quote(earlier)}.`, "Keep one.");
    }
    seen.set(rule.prefix.join("/"), line);
    return rule;
  });
}
function parseMatrixInputs(get) {
  return {
    platforms: parsePlatforms(get("platforms")),
    runners: parseRunners(get("runners")),
    emulate: parseBoolean("emulate", get("emulate"), false)
  };
}

// src/matrix-action/matrix.ts
var defaultRunners = {
  "github-hosted": [
    { prefix: ["linux", "amd64"], "runs-on": "ubuntu-latest" },
    { prefix: ["linux", "386"], "runs-on": "ubuntu-latest" },
    { prefix: ["linux", "arm64"], "runs-on": "ubuntu-24.04-arm" },
    { prefix: ["linux", "arm"], "runs-on": "ubuntu-24.04-arm" },
    { prefix: ["windows"], "runs-on": "windows-latest" }
  ],
  "self-hosted": [
    { prefix: ["linux", "amd64"], "runs-on": ["self-hosted", "linux", "x64"] },
    { prefix: ["linux", "386"], "runs-on": ["self-hosted", "linux", "x64"] },
    { prefix: ["linux", "arm64"], "runs-on": ["self-hosted", "linux", "ARM64"] },
    { prefix: ["linux", "arm"], "runs-on": ["self-hosted", "linux", "ARM"] },
    { prefix: ["windows"], "runs-on": ["self-hosted", "windows", "x64"] },
    { prefix: ["windows", "arm64"], "runs-on": ["self-hosted", "windows", "ARM64"] }
  ]
};
var amd64 = { os: "linux", architecture: "amd64" };
function segmentsOf(platform) {
  return [platform.os, platform.architecture, ...platform.variant ? [platform.variant] : []];
}
function isPrefixOf(prefix, segments) {
  return prefix.length <= segments.length && prefix.every((segment, index) => segment === segments[index]);
}
function longestMatch(rules, segments) {
  return rules.filter((rule) => isPrefixOf(rule.prefix, segments)).reduce(
    (best, rule) => best && best.prefix.length >= rule.prefix.length ? best : rule,
    void 0
  );
}
function nativeRunner(platform, runners, defaults) {
  const segments = segmentsOf(platform);
  return (longestMatch(runners, segments) ?? longestMatch(defaultRunners[defaults], segments))?.["runs-on"];
}
function entryFor(platform, runsOn, emulated) {
  return { platform: formatPlatform(platform), pair: platformPair(platform), "runs-on": runsOn, emulated };
}
function formatList(platforms) {
  return platforms.map(formatPlatform).join(", ");
}
function exampleRule(platform) {
  return `\`${formatPlatform(platform)}=["self-hosted","${platform.architecture}"]\``;
}
function formatRunsOn(runsOn) {
  return `\`${typeof runsOn === "string" ? runsOn : JSON.stringify(runsOn)}\``;
}
var defaultsNote = "the default runners build linux/amd64, linux/386, linux/arm64, linux/arm/* and windows/*";
function noRunnerError(platforms, emulationRunner) {
  const [first] = platforms;
  const them = platforms.length === 1 ? "it" : "them";
  const addRule = `Add a \`runners\` rule for ${them}, e.g. ${exampleRule(first)}`;
  const canEmulate = platforms.every((platform) => platform.os === "linux");
  return new UserError(
    "platforms",
    `${formatList(platforms)} ${platforms.length === 1 ? "has" : "have"} no native runner (${defaultsNote}).`,
    canEmulate ? `${addRule}, or set \`emulate: true\` to build ${them} with QEMU on ${formatRunsOn(emulationRunner)}.` : `${addRule}.`
  );
}
function cannotEmulateError(platforms) {
  const [first] = platforms;
  return new UserError(
    "platforms",
    `${formatList(platforms)} ${platforms.length === 1 ? "has" : "have"} no native runner, and \`emulate\` cannot help: QEMU emulates Linux only.`,
    `Add a \`runners\` rule for ${platforms.length === 1 ? "it" : "them"}, e.g. ${exampleRule(first)}.`
  );
}
function checkPlaceable(unplaced, emulate, emulationRunner) {
  if (!emulate && unplaced.length > 0) throw noRunnerError(unplaced, emulationRunner);
  const notLinux = unplaced.filter((platform) => platform.os !== "linux");
  if (emulate && notLinux.length > 0) throw cannotEmulateError(notLinux);
}
function checkUniquePairs(entries) {
  const seen = /* @__PURE__ */ new Map();
  for (const entry of entries) {
    const earlier = seen.get(entry.pair);
    if (earlier !== void 0) {
      throw new UserError(
        "platforms",
        `${quote(earlier)} and ${quote(entry.platform)} would share the record name ${quote(entry.pair)} (os features, and characters outside [a-z0-9._-], are not part of it).`,
        "Build them in separate workflows, or list one of them."
      );
    }
    seen.set(entry.pair, entry.platform);
  }
}
function planMatrix(inputs, defaults = "github-hosted") {
  const platforms = inputs.platforms.map(normalizePlatform);
  const runnerOf = (platform) => nativeRunner(platform, inputs.runners, defaults);
  const emulationRunner = runnerOf(amd64);
  const placed = platforms.map((platform) => ({ platform, runsOn: runnerOf(platform) }));
  const unplaced = placed.filter(({ runsOn }) => runsOn === void 0).map(({ platform }) => platform);
  checkPlaceable(unplaced, inputs.emulate, emulationRunner);
  const include = placed.map(
    ({ platform, runsOn }) => runsOn === void 0 ? entryFor(platform, emulationRunner, true) : entryFor(platform, runsOn, false)
  );
  checkUniquePairs(include);
  return { include };
}

// src/matrix-action/main.ts
function formatRunsOn2(runsOn) {
  return typeof runsOn === "string" ? codeSpan(runsOn) : runsOn.map(codeSpan).join(", ");
}
function summary(matrix) {
  const rows = matrix.include.map((entry) => [
    codeSpan(entry.platform),
    formatRunsOn2(entry["runs-on"]),
    entry.emulated ? "yes (QEMU)" : "no"
  ]);
  const count = matrix.include.length;
  return [
    `### Build matrix: ${count} platform${count === 1 ? "" : "s"}`,
    markdownTable(["platform", "runner", "emulated"], rows)
  ].join("\n\n");
}
await runAction(async (context) => {
  const server = actionsServer(context.env);
  const defaults = server.kind === "enterprise-server" ? "self-hosted" : "github-hosted";
  if (defaults === "self-hosted") {
    context.logger.info(`${server.name} has no GitHub-hosted runners: the default runners are self-hosted ones.`);
  }
  const matrix = planMatrix(parseMatrixInputs(context.input), defaults);
  for (const entry of matrix.include) {
    const emulated = entry.emulated ? " under QEMU" : "";
    context.logger.info(`${entry.platform}: runs-on ${JSON.stringify(entry["runs-on"])}${emulated}`);
  }
  context.setOutput("matrix", JSON.stringify(matrix));
  context.setOutput("platforms", matrix.include.map((entry) => entry.platform).join(","));
  context.setOutput("count", String(matrix.include.length));
  await context.appendSummary(summary(matrix));
});
