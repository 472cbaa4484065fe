import { codeSpan, markdownTable } from '../markdown.js';
import { runAction } from '../github/run.js';
import { actionsServer } from '../github/server.js';
import { parseMatrixInputs, type RunsOn } from './inputs.js';
import { planMatrix, type DefaultRunners, type Matrix } from './matrix.js';

function formatRunsOn(runsOn: RunsOn): string {
  return typeof runsOn === 'string' ? codeSpan(runsOn) : runsOn.map(codeSpan).join(', ');
}

function summary(matrix: Matrix): string {
  const rows = matrix.include.map((entry) => [
    codeSpan(entry.platform),
    formatRunsOn(entry['runs-on']),
    entry.emulated ? 'yes (QEMU)' : 'no',
  ]);
  const count = matrix.include.length;
  return [
    `### Build matrix: ${count} platform${count === 1 ? '' : 's'}`,
    markdownTable(['platform', 'runner', 'emulated'], rows),
  ].join('\n\n');
}

await runAction(async (context) => {
  const server = actionsServer(context.env);
  // GitHub Enterprise Server has no GitHub-hosted runners. Gitea's and Forgejo's runners carry the labels their
  // administrators give them, ubuntu-latest among act_runner's defaults.
  const defaults: DefaultRunners = server.kind === 'enterprise-server' ? 'self-hosted' : 'github-hosted';
  if (defaults === 'self-hosted') {
    context.logger.info(`${server.name} has no GitHub-hosted runners: the default runners are self-hosted ones.`);
  }
  const matrix = planMatrix(parseMatrixInputs(context.input), defaults);
  for (const entry of matrix.include) {
    const emulated = entry.emulated ? ' under QEMU' : '';
    context.logger.info(`${entry.platform}: runs-on ${JSON.stringify(entry['runs-on'])}${emulated}`);
  }
  context.setOutput('matrix', JSON.stringify(matrix));
  context.setOutput('platforms', matrix.include.map((entry) => entry.platform).join(','));
  context.setOutput('count', String(matrix.include.length));
  await context.appendSummary(summary(matrix));
});
