import { processExec } from '../github/exec.js';
import { recordStore } from '../github/record-store.js';
import { runAction, type ActionContext } from '../github/run.js';
import { markdownTable } from '../markdown.js';
import { formatPlatform } from '../oci/platform.js';
import { formatRepository } from '../oci/reference.js';
import { openRegistrySession } from '../oci/session.js';
import { summaryMarkdown } from '../publish/summary.js';
import { serializeRecord } from '../records/record.js';
import { build, type BuildOutcome } from './build.js';
import { parseBuildInputs } from './inputs.js';

await runAction(
  async (context) => {
    const inputs = parseBuildInputs(context.input);
    const session = openRegistrySession({
      env: context.env,
      logger: context.logger,
      insecureRegistries: inputs['insecure-registries'],
    });
    try {
      const store = recordStore(inputs['records-path'], inputs.images.map(formatRepository), context);
      const outcome = await build(inputs, {
        store,
        clients: session.clients,
        exec: processExec(context.logger),
        logger: context.logger,
        env: context.env,
      });
      await report(context, outcome);
    } finally {
      await session.close();
    }
  },
  { secretInputs: ['secrets'] },
);

async function report(context: ActionContext, { record, recordName, published }: BuildOutcome): Promise<void> {
  context.setOutput('digest', record.digest);
  context.setOutput('platform', formatPlatform(record.platform));
  context.setOutput('record-name', recordName);
  context.setOutput('record', serializeRecord(record).trim());
  context.setOutput('index-digest', published?.outcome?.plan.index.descriptor.digest ?? '');
  const rows = record.images.map((image) => [image, formatPlatform(record.platform), `\`${record.digest}\``]);
  await context.appendSummary(
    [
      `### Pushed ${formatPlatform(record.platform)} by digest`,
      markdownTable(['image', 'platform', 'digest'], rows),
      `Record \`${recordName}\` (${record.mediaType}). ${publishedNote(published)}`,
      ...(published?.outcome ? [summaryMarkdown(published.outcome, false)] : []),
    ].join('\n\n'),
  );
}

function publishedNote(published: BuildOutcome['published']): string {
  if (published === undefined) return 'The merge step publishes it under the tags.';
  if (published.outcome === undefined) {
    const waiting = published.waitingFor.map(formatPlatform).join(', ');
    return `Not published from this job: no record of ${waiting} yet; the job that records the last platform publishes.`;
  }
  const rounds = `${published.rounds} round${published.rounds === 1 ? '' : 's'}`;
  return `Published with every record of the run this job saw (${rounds}):`;
}
