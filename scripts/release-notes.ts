// The release workflow's gate and notes: `node scripts/run-ts.mjs scripts/release-notes.ts vX.Y.Z` fails unless the tag
// is `v` + package.json's version and CHANGELOG.md has a dated section for that version, and prints that section (the
// release's notes) on stdout. CONTRIBUTING.md describes the release; .github/workflows/release.yml runs this.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A reason not to release, said to whoever pushed the tag. */
export class ReleaseRefused extends Error {}

/** `v1.2.3` is version 1.2.3 when package.json says 1.2.3; any other tag is refused. */
export function versionOfTag(tag: string, packageVersion: string): string {
  const version = /^v(\d+\.\d+\.\d+)$/.exec(tag)?.[1];
  if (version === undefined)
    throw new ReleaseRefused(`${tag} is not a release tag: release tags are vMAJOR.MINOR.PATCH`);
  if (version !== packageVersion) {
    throw new ReleaseRefused(
      `${tag} disagrees with package.json, whose version is ${packageVersion}: set the version and tag the same commit`,
    );
  }
  return version;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The text under `## [version] - YYYY-MM-DD` (Keep a Changelog 1.1.0), up to the next `## ` heading, without the link
 * definitions (`[1.0.0]: https://…`) that end the file: they belong to the changelog's headings, not to these notes.
 */
export function releaseNotes(changelog: string, version: string): string {
  const lines = changelog.split(/\r?\n/);
  const heading = new RegExp(`^## \\[${escapeRegExp(version)}\\](?: - (\\d{4}-\\d{2}-\\d{2}))?\\s*$`);
  const start = lines.findIndex((line) => heading.test(line));
  if (start < 0) throw new ReleaseRefused(`CHANGELOG.md has no section ## [${version}] - YYYY-MM-DD`);
  if (heading.exec(lines[start]!)?.[1] === undefined) {
    throw new ReleaseRefused(`CHANGELOG.md: the section of ${version} has no date: write ## [${version}] - YYYY-MM-DD`);
  }
  const length = lines.slice(start + 1).findIndex((line) => line.startsWith('## '));
  const section = lines.slice(start + 1, length < 0 ? undefined : start + 1 + length);
  const notes = section
    .filter((line) => !/^\[[^\]]+\]: \S+$/.test(line))
    .join('\n')
    .trim();
  if (notes === '') throw new ReleaseRefused(`CHANGELOG.md: the section of ${version} is empty`);
  return notes;
}

/** `main([tag], root)`: the notes on stdout and 0, or the reason for refusing on stderr and 1. */
export async function main(args: readonly string[], root = process.cwd()): Promise<number> {
  const [tag] = args;
  try {
    if (tag === undefined) throw new ReleaseRefused('name the tag to release: release-notes.ts vX.Y.Z');
    const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    const notes = releaseNotes(await readFile(join(root, 'CHANGELOG.md'), 'utf8'), versionOfTag(tag, version));
    process.stdout.write(`${notes}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ReleaseRefused)) throw error;
    console.error(`release refused: ${error.message}`);
    return 1;
  }
}
