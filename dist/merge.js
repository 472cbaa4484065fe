import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  failuresOf,
  merge,
  openRegistrySession,
  parseMergeInputs,
  recordStore,
  recordsSubject,
  summaryMarkdown,
  writtenReferences
} from "./chunks/chunk-FOSQTCAF.js";
import {
  formatRepository,
  runAction
} from "./chunks/chunk-IUPVSYXV.js";
import "./chunks/chunk-H2G7GUQL.js";

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
      store: recordStore(recordsPath, inputs.images.map(formatRepository), context),
      recordsSubject: recordsSubject(recordsPath),
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
  await context.appendSummary(summaryMarkdown(outcome, dryRun));
}
