import { provenanceSigner } from '../github/attest.js';
import { runAction } from '../github/run.js';
import { recordStore } from '../github/record-store.js';
import { formatRepository } from '../oci/reference.js';
import { openRegistrySession } from '../oci/client.js';
import { recordsSubject } from '../records/store.js';
import { parseMergeInputs } from './inputs.js';
import { failuresOf, merge } from '../publish/publish.js';
import { attestPublished, provenanceFailure } from '../publish/provenance.js';
import { mergeReport, writeSubjectsFile } from './summary.js';

await runAction(
  async (context) => {
    const inputs = parseMergeInputs(context.input);
    // Before the first request anywhere: a job that cannot attest must not publish first and fail after.
    const sign = inputs.attest ? provenanceSigner(context, inputs['github-token']) : undefined;
    const recordsPath = inputs['records-path'];
    const session = openRegistrySession({
      env: context.env,
      logger: context.logger,
      insecureRegistries: inputs['insecure-registries'],
    });
    try {
      const deps = { clients: session.clients, logger: context.logger };
      const outcome = await merge(inputs, {
        ...deps,
        store: recordStore(recordsPath, inputs.images.map(formatRepository), context),
        recordsSubject: recordsSubject(recordsPath),
      });
      const provenance = sign && (await attestPublished(outcome, { ...deps, sign, verify: inputs.verify }));
      const subjectsFile = await writeSubjectsFile(outcome, context.runner.tempDir);
      await context.report(mergeReport(outcome, { dryRun: inputs['dry-run'], provenance, subjectsFile }));
      const failure = failuresOf(outcome) ?? provenanceFailure(provenance);
      if (failure) throw failure;
    } finally {
      await session.close();
    }
  },
  { secretInputs: ['github-token'] },
);
