import { runAction, type ActionContext } from '../github/run.js';
import { recordStore } from '../github/record-store.js';
import { formatRepository } from '../oci/reference.js';
import { openRegistrySession } from '../oci/session.js';
import { recordsSubject } from '../records/store.js';
import { parseMergeInputs } from '../publish/inputs.js';
import { failuresOf, merge, type MergeOutcome } from '../publish/merge.js';
import { summaryMarkdown, writtenReferences } from '../publish/summary.js';

await runAction(async (context) => {
  const inputs = parseMergeInputs(context.input);
  const recordsPath = inputs['records-path'];
  const session = openRegistrySession({
    env: context.env,
    logger: context.logger,
    insecureRegistries: inputs['insecure-registries'],
  });
  try {
    const outcome = await merge(inputs, {
      store: recordStore(recordsPath, inputs.images.map(formatRepository), context),
      recordsSubject: recordsSubject(recordsPath),
      clients: session.clients,
      logger: context.logger,
    });
    await report(context, outcome, inputs['dry-run']);
    const failure = failuresOf(outcome);
    if (failure) throw failure;
  } finally {
    await session.close();
  }
});

async function report(context: ActionContext, outcome: MergeOutcome, dryRun: boolean): Promise<void> {
  const index = outcome.plan.index;
  context.setOutput('digest', index.descriptor.digest);
  context.setOutput('images', writtenReferences(outcome).join('\n'));
  context.setOutput('index', index.bytes.toString('utf8'));
  await context.appendSummary(summaryMarkdown(outcome, dryRun));
}
