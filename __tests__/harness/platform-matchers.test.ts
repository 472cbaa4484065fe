import { parsePlatform } from '../../src/oci/platform.js';
import {
  chosenEntry,
  fits,
  unreachableChildren,
  type ClientFamily,
  type MatcherPlatform,
} from '../support/platform-matchers.js';

/**
 * The three matchers side by side, each row what its source (cited in support/platform-matchers.ts) decides: the
 * cells where the families disagree are the reason our index entries carry the platform their image states.
 */
const platform = (text: string): MatcherPlatform => parsePlatform(text);
const windows = (version: string): MatcherPlatform => ({ os: 'windows', architecture: 'amd64', 'os.version': version });

// [wanted, entry, containerd, containers/image (skopeo), podman, go-containerregistry]
const table: readonly [string, MatcherPlatform, MatcherPlatform, boolean, boolean, boolean, boolean][] = [
  ['arm64/v8 asked, arm64 offered', platform('linux/arm64/v8'), platform('linux/arm64'), true, true, true, false],
  ['arm64 asked, arm64/v8 offered', platform('linux/arm64'), platform('linux/arm64/v8'), true, true, true, true],
  ['arm64 asked, aarch64 offered', platform('linux/arm64'), platform('linux/aarch64'), true, false, false, false],
  ['arm/v7 asked, arm offered', platform('linux/arm/v7'), platform('linux/arm'), true, true, true, false],
  ['arm/v6 asked, arm offered', platform('linux/arm/v6'), platform('linux/arm'), false, true, true, false],
  ['arm/v7 asked, arm/v6 offered', platform('linux/arm/v7'), platform('linux/arm/v6'), true, true, true, false],
  ['arm asked, arm/v7 offered', platform('linux/arm'), platform('linux/arm/v7'), true, true, true, true],
  ['arm64 asked, arm/v7 offered', platform('linux/arm64'), platform('linux/arm/v7'), true, false, false, false],
  ['amd64 asked, amd64/v2 offered', platform('linux/amd64'), platform('linux/amd64/v2'), false, false, false, true],
  ['amd64/v2 asked, amd64 offered', platform('linux/amd64/v2'), platform('linux/amd64'), true, true, true, false],
  ['amd64 asked, 386 offered', platform('linux/amd64'), platform('linux/386'), true, false, false, false],
  [
    'Windows 20348 asked, 20348.2227 offered',
    windows('10.0.20348'),
    windows('10.0.20348.2227'),
    true,
    true,
    true,
    false,
  ],
  [
    'Windows 20348.2227 asked, the same offered',
    windows('10.0.20348.2227'),
    windows('10.0.20348.2227'),
    true,
    true,
    true,
    true,
  ],
  ['Windows 20348 asked, 17763 offered', windows('10.0.20348'), windows('10.0.17763.5329'), false, true, true, false],
  ['Windows 26100 asked, 20348 offered', windows('10.0.26100'), windows('10.0.20348.2227'), true, true, true, false],
  [
    'linux/amd64 asked, an entry with os.features offered',
    platform('linux/amd64'),
    { os: 'linux', architecture: 'amd64', 'os.features': ['sse4'] },
    false,
    true,
    true,
    true,
  ],
];

describe('what each client family takes for what it is asked', () => {
  test.each(table)('%s', (_name, wanted, entry, containerd, skopeo, podman, ggcr) => {
    const families: readonly ClientFamily[] = ['containerd', 'containers/image', 'podman', 'go-containerregistry'];
    expect(families.map((family) => fits(family, wanted, entry))).toEqual([containerd, skopeo, podman, ggcr]);
  });
});

describe('which entry of an index each family pulls', () => {
  const entries = [
    platform('linux/arm64'),
    platform('linux/arm64/v8'),
    platform('linux/arm/v7'),
    platform('linux/arm/v6'),
  ];

  test.each<[string, ClientFamily, MatcherPlatform, number]>([
    ['containerd: equal ranks go by index order', 'containerd', platform('linux/arm64/v8'), 0],
    ['containers/image: the variant asked for ranks first', 'containers/image', platform('linux/arm64/v8'), 1],
    ['go-containerregistry: the first entry that fits', 'go-containerregistry', platform('linux/arm64'), 0],
    ['go-containerregistry: no fallback from v7 to v6', 'go-containerregistry', platform('linux/arm/v5'), -1],
    ['containerd: arm/v6 before arm/v5 for arm/v6', 'containerd', platform('linux/arm/v6'), 3],
  ])('%s', (_name, family, wanted, expected) => {
    expect(chosenEntry(family, wanted, entries)).toBe(expected);
  });

  test('an entry without a platform is linux/amd64 to go-containerregistry and a last resort to the others', () => {
    expect(chosenEntry('go-containerregistry', platform('linux/amd64'), [undefined])).toBe(0);
    expect(chosenEntry('containerd', platform('linux/amd64'), [undefined])).toBe(-1);
  });
});

describe('unreachableChildren', () => {
  const entry = (digest: string, text: string) => ({ digest, platform: platform(text) });

  test('finds nothing wrong with an index in our order', () => {
    expect(
      unreachableChildren([
        entry('a', 'linux/amd64'),
        entry('b', 'linux/arm/v7'),
        entry('c', 'linux/arm/v6'),
        entry('d', 'linux/arm64/v8'),
        { digest: 'e', platform: { os: 'unknown', architecture: 'unknown' } },
      ]),
    ).toEqual([]);
  });

  test('reports arm/v6 before arm/v7: go-containerregistry asked for linux/arm pulls v6', () => {
    expect(unreachableChildren([entry('c', 'linux/arm/v6'), entry('b', 'linux/arm/v7')])).toEqual([
      'go-containerregistry asked for {"os":"linux","architecture":"arm"} pulls c, not b',
    ]);
  });
});
