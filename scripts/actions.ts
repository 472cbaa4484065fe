// The public interface of what this repository publishes, read from the files GitHub reads: the inputs and outputs of
// each action.yml and the inputs, secrets and outputs of the reusable workflow. The reference tables (scripts/docs.ts)
// and the check of every `uses:` of ours (__tests__/unit/scripts/uses-check.test.ts) both start here.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';

/** An input, output or secret as declared. `default` is the string the runner would pass; undefined when none. */
export interface Parameter {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
  readonly default?: string;
  /** A workflow_call input's type (`string`, `boolean`, `number`); undefined for actions. */
  readonly type?: string;
}

export interface PublishedInterface {
  /** The name the reference tables' marker comments use: `<!-- inputs: merge -->`. */
  readonly name: string;
  /** The file, relative to the repository root. */
  readonly file: string;
  readonly kind: 'action' | 'workflow';
  /** What follows `OWNER/multiarch-publish` in a `uses:` (`''`, `/merge`, `/.github/workflows/publish.yml`). */
  readonly usesPath: string;
  readonly inputs: readonly Parameter[];
  readonly outputs: readonly Parameter[];
  readonly secrets: readonly Parameter[];
}

/** The placeholder for the repository's owner in every example: users replace it, tests recognise it. */
export const owner = 'OWNER';
export const repository = 'multiarch-publish';

/** Everything users can `uses:`, by the name of its reference tables. */
export const published = [
  { name: 'build', file: 'action.yml', kind: 'action', usesPath: '' },
  { name: 'merge', file: 'merge/action.yml', kind: 'action', usesPath: '/merge' },
  { name: 'plan', file: 'matrix/action.yml', kind: 'action', usesPath: '/matrix' },
  {
    name: 'publish',
    file: '.github/workflows/publish.yml',
    kind: 'workflow',
    usesPath: '/.github/workflows/publish.yml',
  },
] as const;

type Mapping = Readonly<Record<string, unknown>>;

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mappingAt(value: unknown, ...path: string[]): Mapping {
  let current: unknown = value;
  for (const key of path) current = isMapping(current) ? current[key] : undefined;
  return isMapping(current) ? current : {};
}

// The runner reads every scalar of action.yml as a string: `default: false` is the input 'false'.
function asString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}

/** Folded descriptions keep their line breaks in YAML; a table cell wants one line. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function parametersOf(declared: Mapping): Parameter[] {
  return Object.entries(declared).map(([name, raw]) => {
    const spec = isMapping(raw) ? raw : {};
    const fallback = asString(spec.default);
    const type = asString(spec.type);
    return {
      name,
      description: oneLine(asString(spec.description) ?? ''),
      required: spec.required === true || spec.required === 'true',
      ...(fallback === undefined ? {} : { default: fallback }),
      ...(type === undefined ? {} : { type }),
    };
  });
}

/** The interface of one published action or workflow, from its YAML text. */
export function interfaceOf(entry: (typeof published)[number], text: string): PublishedInterface {
  const document: unknown = parse(text);
  const declared = entry.kind === 'action' ? mappingAt(document) : mappingAt(document, 'on', 'workflow_call');
  return {
    ...entry,
    inputs: parametersOf(mappingAt(declared, 'inputs')),
    outputs: parametersOf(mappingAt(declared, 'outputs')),
    secrets: entry.kind === 'workflow' ? parametersOf(mappingAt(declared, 'secrets')) : [],
  };
}

/** Every published interface of the repository at `root`, in the order of the reference. */
export async function loadPublished(root: string): Promise<PublishedInterface[]> {
  return Promise.all(
    published.map(async (entry) => interfaceOf(entry, await readFile(join(root, entry.file), 'utf8'))),
  );
}
