// Checks every `uses:` of this repository's actions and reusable workflow in a workflow (or a snippet of one in
// README.md or docs/) against what they declare: the action exists, `with:` names only declared inputs and every
// required one, `secrets:` only declared secrets, and `steps.<id>.outputs.<name>`, `needs.<job>.outputs.<name>` and
// the fields of a plan action's matrix name things that exist. actionlint cannot do this for actions it has never seen.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { owner, repository, type Parameter, type PublishedInterface } from './actions.js';

export interface UsesProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** The matrix entry fields of the plan action's `matrix` output (src/matrix-action/matrix.ts). */
const planMatrixFields = ['platform', 'pair', 'runs-on', 'emulated'];

interface Reporter {
  (node: Node | null | undefined, message: string): void;
}

/** One of ours (`ours`), a reference to this repository that names nothing (`problem`), or neither: not ours. */
interface Target {
  readonly ours?: PublishedInterface;
  readonly problem?: string;
}

/** What a `uses:` value names: one of ours, a reference to this repository that names nothing, or someone else's. */
export function resolveUses(uses: string, interfaces: readonly PublishedInterface[]): Target {
  const local = /^\.\/(.*?)\/?$/.exec(uses);
  if (local) {
    const path = local[1] === '' ? '' : `/${local[1]}`;
    const ours = interfaces.find((each) => each.usesPath === path);
    return ours ? { ours } : { problem: `${uses} is no action or workflow of this repository` };
  }
  const remote = /^([^/@\s]+)\/([^/@\s]+)(\/[^@\s]*)?(?:@(\S*))?$/.exec(uses);
  if (!remote || remote[2] !== repository) return {};
  const [, usedOwner, , path = '', ref] = remote;
  if (usedOwner !== owner) return { problem: `${uses}: write the owner as ${owner}, as every example does` };
  if (!ref) return { problem: `${uses} names no version: add @v1` };
  const ours = interfaces.find((each) => each.usesPath === path);
  return ours ? { ours } : { problem: `${uses}: this repository has no action or workflow at ${path}` };
}

function entries(node: unknown): [string, Node | null][] {
  if (!isMap(node)) return [];
  return (node as YAMLMap<Node, Node | null>).items.flatMap((pair) =>
    isScalar(pair.key) ? [[String(pair.key.value), pair.value] as [string, Node | null]] : [],
  );
}

function keyNode(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  const pair = (node as YAMLMap<Node, Node | null>).items.find((item) => isScalar(item.key) && item.key.value === key);
  return pair?.key ?? undefined;
}

function get(node: unknown, key: string): Node | null | undefined {
  return entries(node).find(([name]) => name === key)?.[1];
}

function text(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}

/** Every scalar string under a node, with its node, for expression references. */
function scalars(node: unknown): { node: Node; value: string }[] {
  if (isScalar(node)) return typeof node.value === 'string' ? [{ node, value: node.value }] : [];
  if (isMap(node)) return (node as YAMLMap<Node, Node | null>).items.flatMap((pair) => scalars(pair.value));
  if (isSeq(node)) return node.items.flatMap((item) => scalars(item));
  return [];
}

function listOf(node: unknown): string[] {
  if (isSeq(node)) return node.items.flatMap((item) => (isScalar(item) ? [String(item.value)] : []));
  const single = text(node);
  return single === undefined ? [] : [single];
}

function checkWith(
  report: Reporter,
  usesNode: Node,
  withNode: Node | null | undefined,
  declared: readonly Parameter[],
  what: string,
): void {
  const names = new Set(declared.map((parameter) => parameter.name));
  const given = entries(withNode);
  for (const [name] of given) {
    if (!names.has(name))
      report(keyNode(withNode, name), `${what} has no input ${name} (it has ${[...names].join(', ')})`);
  }
  const givenNames = new Set(given.map(([name]) => name));
  for (const parameter of declared) {
    if (parameter.required && parameter.default === undefined && !givenNames.has(parameter.name)) {
      report(usesNode, `${what} needs the input ${parameter.name}`);
    }
  }
  for (const [name, value] of given) {
    const type = declared.find((parameter) => parameter.name === name)?.type;
    const scalar = isScalar(value) ? value.value : undefined;
    const isExpression = typeof scalar === 'string' && scalar.includes('${{');
    if (type === 'boolean' && typeof scalar !== 'boolean' && !isExpression) {
      report(value, `${what}: ${name} is a boolean, but is given ${JSON.stringify(scalar)}`);
    }
  }
}

interface JobFacts {
  /** Step id → the interface of ours it runs; null for a step that is someone else's. */
  readonly steps: Map<string, PublishedInterface | null>;
  /** Declared job outputs → the output they come from, as `steps.<id>.outputs.<name>` text when there is one. */
  readonly outputs: Map<string, string>;
  readonly calls?: PublishedInterface;
}

function checkStep(report: Reporter, step: Node | null, facts: JobFacts, interfaces: readonly PublishedInterface[]) {
  const usesNode = get(step, 'uses');
  const uses = text(usesNode);
  const id = text(get(step, 'id'));
  if (uses === undefined || !usesNode) {
    if (id !== undefined) facts.steps.set(id, null);
    return;
  }
  const target = resolveUses(uses, interfaces);
  if (target.ours?.kind === 'workflow') report(usesNode, `${uses} is a reusable workflow: call it as a job's uses:`);
  else if (target.ours) checkWith(report, usesNode, get(step, 'with'), target.ours.inputs, uses);
  else if (target.problem) report(usesNode, target.problem);
  if (id !== undefined) facts.steps.set(id, target.ours?.kind === 'action' ? target.ours : null);
}

function checkCall(report: Reporter, job: Node | null, interfaces: readonly PublishedInterface[]) {
  const usesNode = get(job, 'uses');
  const uses = text(usesNode);
  if (uses === undefined || !usesNode) return undefined;
  const target = resolveUses(uses, interfaces);
  if (target.problem) report(usesNode, target.problem);
  if (!target.ours) return undefined;
  if (target.ours.kind === 'action') {
    report(usesNode, `${uses} is an action: use it in a step`);
    return undefined;
  }
  checkWith(report, usesNode, get(job, 'with'), target.ours.inputs, uses);
  const secrets = get(job, 'secrets');
  if (text(secrets) !== 'inherit') {
    const declared = new Set(target.ours.secrets.map((secret) => secret.name));
    for (const [name] of entries(secrets)) {
      if (!declared.has(name)) report(keyNode(secrets, name), `${uses} has no secret ${name}`);
    }
  }
  return target.ours;
}

function factsOf(report: Reporter, job: Node | null, interfaces: readonly PublishedInterface[]): JobFacts {
  const facts: JobFacts = { steps: new Map(), outputs: new Map() };
  const calls = checkCall(report, job, interfaces);
  const steps = get(job, 'steps');
  if (isSeq(steps)) for (const step of steps.items) checkStep(report, step as Node | null, facts, interfaces);
  for (const [name, value] of entries(get(job, 'outputs'))) facts.outputs.set(name, text(value) ?? '');
  if (calls) for (const output of calls.outputs) facts.outputs.set(output.name, '');
  return calls ? { ...facts, calls } : facts;
}

const stepOutput = /(?<![\w.-])steps\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)/g;
const needsOutput = /(?<![\w.-])needs\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)/g;
const matrixField = /(?<![\w.-])matrix\.([A-Za-z_][\w-]*)/g;

function checkStepOutputs(report: Reporter, job: Node | null, facts: JobFacts): void {
  for (const { node, value } of scalars(job)) {
    for (const [, id = '', name = ''] of value.matchAll(stepOutput)) {
      const ours = facts.steps.get(id);
      if (ours === undefined) report(node, `steps.${id}: no step of this job has the id ${id}`);
      else if (ours && !ours.outputs.some((output) => output.name === name)) {
        report(node, `steps.${id}.outputs.${name}: the ${ours.name} action has no output ${name}`);
      }
    }
  }
}

/** Whether a job output is the plan action's `matrix` output, traced through `steps.<id>.outputs.matrix`. */
function isPlanMatrix(facts: JobFacts | undefined, output: string): boolean {
  const source = facts?.outputs.get(output) ?? '';
  return [...source.matchAll(stepOutput)].some(
    ([, id = '', name]) => facts?.steps.get(id)?.name === 'plan' && name === 'matrix',
  );
}

function checkNeeds(report: Reporter, jobId: string, job: Node | null, jobs: Map<string, JobFacts>): void {
  const needs = new Set(listOf(get(job, 'needs')));
  for (const { node, value } of scalars(job)) {
    for (const [, needed = '', name = ''] of value.matchAll(needsOutput)) {
      const facts = jobs.get(needed);
      if (!needs.has(needed)) report(node, `needs.${needed}: job ${jobId} does not need ${needed}`);
      else if (facts && !facts.outputs.has(name))
        report(node, `needs.${needed}.outputs.${name}: job ${needed} has no output ${name}`);
    }
  }
  const matrix = text(get(get(job, 'strategy'), 'matrix'));
  const [, needed = '', output = ''] = /fromJSON\(\s*needs\.([\w-]+)\.outputs\.([\w-]+)\s*\)/i.exec(matrix ?? '') ?? [];
  if (!isPlanMatrix(jobs.get(needed), output)) return;
  for (const { node, value } of scalars(job)) {
    for (const [, field = ''] of value.matchAll(matrixField)) {
      if (!planMatrixFields.includes(field)) {
        report(node, `matrix.${field}: the plan action's matrix entries have ${planMatrixFields.join(', ')}`);
      }
    }
  }
}

/** `inputs.*`, `secrets.*` and `jobs.*.outputs.*` of a workflow_call workflow against what it declares. */
function checkCalledWorkflow(report: Reporter, root: Node, jobs: Map<string, JobFacts>): void {
  const call = get(get(root, 'on'), 'workflow_call');
  if (!isMap(call)) return;
  const inputs = new Set(entries(get(call, 'inputs')).map(([name]) => name));
  const secrets = new Set([...entries(get(call, 'secrets')).map(([name]) => name), 'GITHUB_TOKEN']);
  for (const { node, value } of scalars(get(root, 'jobs'))) {
    for (const [, name = ''] of value.matchAll(/(?<![\w.-])inputs\.([A-Za-z_][\w-]*)/g)) {
      if (!inputs.has(name)) report(node, `inputs.${name}: the workflow declares no input ${name}`);
    }
    for (const [, name = ''] of value.matchAll(/(?<![\w.-])secrets\.([A-Za-z_][\w-]*)/g)) {
      if (!secrets.has(name)) report(node, `secrets.${name}: the workflow declares no secret ${name}`);
    }
  }
  for (const { node, value } of scalars(get(call, 'outputs'))) {
    for (const [, id = '', name = ''] of value.matchAll(/(?<![\w.-])jobs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      if (!jobs.get(id)?.outputs.has(name)) report(node, `jobs.${id}.outputs.${name}: job ${id} has no output ${name}`);
    }
  }
}

/** The jobs of a document: a workflow's `jobs`, or the document itself when it is one job. */
function jobsOf(root: Node | null): [string, Node | null][] {
  if (get(root, 'jobs') !== undefined) return entries(get(root, 'jobs'));
  if (get(root, 'steps') !== undefined || get(root, 'runs-on') !== undefined) return [['(job)', root]];
  return [];
}

/** Every problem with the uses of ours in one YAML document. `line` is where the document starts in `file`. */
export function checkUses(
  source: string,
  file: string,
  interfaces: readonly PublishedInterface[],
  line = 1,
): UsesProblem[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { lineCounter });
  if (document.errors.length > 0) {
    return document.errors.map((error) => ({
      file,
      line: line + (error.linePos?.[0].line ?? 1) - 1,
      message: error.message,
    }));
  }
  const problems: UsesProblem[] = [];
  const report: Reporter = (node, message) => {
    const offset = node?.range?.[0];
    problems.push({ file, line: line - 1 + (offset === undefined ? 1 : lineCounter.linePos(offset).line), message });
  };
  const root = document.contents as Node | null;
  if (isSeq(root)) {
    const facts: JobFacts = { steps: new Map(), outputs: new Map() };
    for (const step of root.items) checkStep(report, step as Node | null, facts, interfaces);
    return problems;
  }
  if (get(root, 'uses') !== undefined && get(root, 'steps') === undefined && get(root, 'jobs') === undefined) {
    checkStep(report, root, { steps: new Map(), outputs: new Map() }, interfaces);
    return problems;
  }
  const jobs = new Map(jobsOf(root).map(([id, job]) => [id, factsOf(report, job, interfaces)] as const));
  for (const [id, job] of jobsOf(root)) {
    const facts = jobs.get(id);
    if (facts) checkStepOutputs(report, job, facts);
    checkNeeds(report, id, job, jobs);
  }
  if (root) checkCalledWorkflow(report, root, jobs);
  return problems;
}
