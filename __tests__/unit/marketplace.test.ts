import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getActionSchema } from '@actions/workflow-parser/actions/action-schema';
import type { StringDefinition } from '@actions/workflow-parser/templates/schema/string-definition';
import { parse } from 'yaml';
import { published } from '../../scripts/actions.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

// GitHub refuses a Marketplace listing whose description is longer than this.
const maxDescriptionLength = 125;

/** The values GitHub's own action.yml schema accepts for a branding field, so no list is copied here. */
function allowedValues(definition: 'branding-icon' | 'branding-color'): string[] {
  const schema = getActionSchema();
  return schema
    .getScalarDefinitions(schema.getDefinition(definition))
    .map((each) => (each as StringDefinition).constant);
}

interface ActionFile {
  readonly file: string;
  readonly text: string;
}

/** What would keep an action.yml from a Marketplace listing, or make two of ours indistinguishable there. */
function marketplaceProblems(actions: readonly ActionFile[]): string[] {
  const icons = allowedValues('branding-icon');
  const colors = allowedValues('branding-color');
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const { file, text } of actions) {
    const metadata = (parse(text) ?? {}) as {
      name?: unknown;
      description?: unknown;
      branding?: { icon?: unknown; color?: unknown };
    };
    const name = typeof metadata.name === 'string' ? metadata.name.trim() : '';
    if (name === '') problems.push(`${file}: no name`);
    const twin = seen.get(name.toLowerCase());
    if (name !== '' && twin !== undefined) problems.push(`${file}: the name ${name} is also ${twin}'s`);
    seen.set(name.toLowerCase(), file);
    const description = typeof metadata.description === 'string' ? metadata.description.trim() : '';
    if (description === '') problems.push(`${file}: no description`);
    if (description.length > maxDescriptionLength) {
      problems.push(`${file}: the description has ${description.length} characters, over ${maxDescriptionLength}`);
    }
    const { icon, color } = metadata.branding ?? {};
    if (typeof icon !== 'string' || !icons.includes(icon)) problems.push(`${file}: branding.icon ${icon} is no icon`);
    if (typeof color !== 'string' || !colors.includes(color)) {
      problems.push(`${file}: branding.color ${color} is not one of ${colors.join(', ')}`);
    }
  }
  return problems;
}

const actionFiles: ActionFile[] = published
  .filter((entry) => entry.kind === 'action')
  .map((entry) => ({ file: entry.file, text: readFileSync(join(root, entry.file), 'utf8') }));

describe('the action.yml files, as the Marketplace lists them', () => {
  test('each has a name of its own, a description of at most 125 characters and a branding GitHub accepts', () => {
    expect(actionFiles.map((each) => each.file)).toEqual(['action.yml', 'merge/action.yml', 'matrix/action.yml']);
    expect(marketplaceProblems(actionFiles)).toEqual([]);
  });

  test('reports a missing name, a shared name, a long description and a branding outside GitHub’s sets', () => {
    const action = (name: string, description: string, branding: string) =>
      [
        `name: ${name}`,
        `description: ${description}`,
        `branding: ${branding}`,
        'runs: { using: node24, main: a.js }',
      ].join('\n');
    const problems = marketplaceProblems([
      { file: 'a.yml', text: action('tool', 'Does one thing.', '{ icon: layers, color: blue }') },
      { file: 'b.yml', text: action('Tool', 'x'.repeat(126), '{ icon: coffee, color: pink }') },
      { file: 'c.yml', text: action("''", "''", '{}') },
    ]);
    expect(problems).toEqual([
      "b.yml: the name Tool is also a.yml's",
      'b.yml: the description has 126 characters, over 125',
      'b.yml: branding.icon coffee is no icon',
      expect.stringMatching(/^b\.yml: branding\.color pink is not one of white, .*gray-dark$/),
      'c.yml: no name',
      'c.yml: no description',
      'c.yml: branding.icon undefined is no icon',
      expect.stringMatching(/^c\.yml: branding\.color undefined is not one of/),
    ]);
  });

  test('the allowed branding values are read from GitHub’s schema, not an empty list', () => {
    expect(allowedValues('branding-icon')).toEqual(expect.arrayContaining(['layers', 'grid', 'package']));
    expect(allowedValues('branding-color')).toEqual(expect.arrayContaining(['blue', 'gray-dark']));
  });
});
