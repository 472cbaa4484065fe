import { processExec } from '../github/exec.js';
import { recordStore } from '../github/record-store.js';
import { runAction } from '../github/run.js';
import { formatRepository } from '../oci/reference.js';
import { openRegistrySession } from '../oci/client.js';
import { build } from './build.js';
import { parseBuildInputs } from './inputs.js';
import { buildReport } from './summary.js';

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
        exec: processExec(),
        logger: context.logger,
        env: context.env,
        ...context.runner,
      });
      await context.report(buildReport(outcome));
    } finally {
      await session.close();
    }
  },
  { secretInputs: ['secrets'] },
);
