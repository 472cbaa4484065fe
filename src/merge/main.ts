import { runAction, type ActionContext } from '../github/run.js';
import { codeBlock, markdownTable } from '../github/outputs.js';
import { recordStore } from '../github/record-store.js';
import { openRegistrySession } from '../oci/session.js';
import { parseMergeInputs } from '../publish/inputs.js';
import { failuresOf, merge, type MergeOutcome } from '../publish/merge.js';
import { summaryRows, writtenReferences } from '../publish/summary.js';

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
      store: recordStore(recordsPath, inputs.images, context),
      recordsSubject: recordsPath === undefined ? "this run's record artifacts" : 'records-path',
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
  const rows = summaryRows(outcome, dryRun).map((row) => [
    row.image,
    row.tag,
    row.platform,
    `\`${row.digest}\``,
    row.status,
  ]);
  await context.appendSummary(
    [
      `### ${dryRun ? 'Dry run: index not published' : 'Multi-platform index published'}`,
      `Index \`${index.descriptor.digest}\` (${index.descriptor.mediaType})`,
      markdownTable(['image', 'tag', 'platform', 'child digest', 'status'], rows),
      ...outcome.warnings.map((warning) => `> **Warning:** ${warning}`),
      codeBlock(index.bytes.toString('utf8'), 'json'),
    ].join('\n\n'),
  );
}
