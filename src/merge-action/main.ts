import { runAction } from '../github/run.js';
import { recordStore } from '../github/record-store.js';
import { formatRepository } from '../oci/reference.js';
import { openRegistrySession } from '../oci/client.js';
import { recordsSubject } from '../records/store.js';
import { parseMergeInputs } from './inputs.js';
import { failuresOf, merge } from '../publish/publish.js';
import { mergeReport } from './summary.js';

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
    await context.report(mergeReport(outcome, inputs['dry-run']));
    const failure = failuresOf(outcome);
    if (failure) throw failure;
  } finally {
    await session.close();
  }
});
