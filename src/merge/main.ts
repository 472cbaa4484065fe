import { runAction, type ActionContext } from '../github/run.js';
import { codeBlock, markdownTable } from '../github/outputs.js';
import { UserError } from '../errors.js';
import { dockerConfigKeychain } from '../oci/auth/credentials.js';
import { RegistryClients } from '../oci/remote.js';
import { createTransport } from '../oci/transport.js';
import { directoryRecordStore } from '../records/directory.js';
import { parseMergeInputs } from './inputs.js';
import { failuresOf, merge, type MergeOutcome } from './merge.js';
import { summaryRows, writtenReferences } from './summary.js';

await runAction(async (context) => {
  const inputs = parseMergeInputs(context.input);
  const recordsPath = inputs['records-path'];
  if (recordsPath === undefined) {
    throw new UserError(
      'records-path',
      'is empty, and reading the records from this run’s artifacts is not available in this version.',
      'Download the build jobs’ records (actions/download-artifact) and set records-path to their directory.',
    );
  }
  const transport = createTransport({ logger: context.logger });
  try {
    const keychain = dockerConfigKeychain({ env: context.env, onSecret: (value) => context.logger.secret(value) });
    const clients = new RegistryClients({
      send: transport.send,
      keychain,
      logger: context.logger,
      insecureRegistries: inputs['insecure-registries'],
    });
    const store = directoryRecordStore(recordsPath);
    const outcome = await merge(inputs, { store, recordsSubject: 'records-path', clients, logger: context.logger });
    await report(context, outcome, inputs['dry-run']);
    const failure = failuresOf(outcome);
    if (failure) throw failure;
  } finally {
    await transport.close();
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
