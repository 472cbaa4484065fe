import { validateChildren } from '../../../src/publish/validate.js';
import {
  attestationDescriptor,
  digestOf,
  ghcr,
  imageDescriptor,
  platform,
  userErrorFrom,
} from '../../fixtures/merge/records.js';
import type { Child } from '../../../src/publish/types.js';

const recordsSubject = 'records-path';

function image(platformText: string, name = `image ${platformText}`, source = `${name}.json`): Child {
  const descriptor = { ...imageDescriptor(name, platformText), platform: platform(platformText) };
  return { descriptor, kind: 'image', sources: [source], foundIn: [ghcr] };
}

function attestation(of: Child): Child {
  const descriptor = attestationDescriptor(`provenance ${of.descriptor.digest}`, of.descriptor.digest);
  return { descriptor, kind: 'attestation', sources: of.sources, foundIn: of.foundIn };
}

const amd64 = image('linux/amd64');
const arm64 = image('linux/arm64');

function validate(children: readonly Child[], platforms: readonly string[] = [], allowPartial = false) {
  return validateChildren(children, { platforms: platforms.map(platform), allowPartial, recordsSubject });
}

describe('validateChildren: accepted', () => {
  test.each<[string, readonly Child[], readonly string[]]>([
    ['any platforms when none are expected', [amd64, arm64, attestation(amd64)], []],
    ['exactly the expected platforms', [amd64, arm64], ['linux/amd64', 'linux/arm64']],
    ['arm64 when arm64/v8 is expected', [image('linux/arm64')], ['linux/arm64/v8']],
    ['arm64/v8 when arm64 is expected', [image('linux/arm64/v8')], ['linux/arm64']],
    ['arm/v7 when arm is expected', [image('linux/arm/v7')], ['linux/arm']],
    ['any Windows build when windows/amd64 is expected', [image('windows(10.0.20348.2322)/amd64')], ['windows/amd64']],
    [
      'two Windows builds for one architecture side by side',
      [image('windows(10.0.20348.2322)/amd64'), image('windows(10.0.17763.5458)/amd64')],
      [],
    ],
    ['attestations, which have no platform to expect', [amd64, attestation(amd64)], ['linux/amd64']],
  ])('accepts %s', (_name, children, platforms) => {
    expect(validate(children, platforms)).toEqual({ warnings: [] });
  });
});

describe('validateChildren: refusals', () => {
  const otherAmd64 = image('linux/amd64', 'other amd64', 'rerun/amd64.json');
  const otherArm64 = image('linux/arm64/v8', 'other arm64', 'rerun/arm64.json');
  const relabelled = image('linux/arm/v6', 'image linux/arm/v7', 'arm-v6.json');
  test.each<[string, readonly Child[], readonly string[], boolean, string, readonly string[], string]>([
    [
      'no records at all',
      [],
      [],
      false,
      recordsSubject,
      ['no digest records found.'],
      'build jobs ran before this job',
    ],
    [
      'no records, even with allow-partial',
      [],
      ['linux/amd64'],
      true,
      recordsSubject,
      ['no digest records found.'],
      '',
    ],
    ['only attestations', [attestation(amd64)], [], false, recordsSubject, ['no digest records found.'], ''],
    [
      'two images for one platform',
      [amd64, otherAmd64],
      [],
      false,
      recordsSubject,
      [
        `linux/amd64 has 2 different images: "${amd64.descriptor.digest}" from "image linux/amd64.json"`,
        `"${otherAmd64.descriptor.digest}" from "rerun/amd64.json"`,
      ],
      'Keep one record per platform',
    ],
    [
      'two images for arm64 and arm64/v8, with the amd64 duplicate in the same message',
      [amd64, otherAmd64, arm64, otherArm64],
      [],
      false,
      recordsSubject,
      [
        'linux/amd64 has 2 different images',
        '; linux/arm64 has 2 different images',
        `"${otherArm64.descriptor.digest}"`,
      ],
      'Keep one record per platform',
    ],
    [
      'one image under two platforms',
      [image('linux/arm/v7'), relabelled],
      [],
      false,
      recordsSubject,
      [
        `"${digestOf('image linux/arm/v7')}" is recorded as linux/arm/v7 from "image linux/arm/v7.json" and as linux/arm/v6 from "arm-v6.json"`,
      ],
      'correct platform-overrides',
    ],
    [
      'an unexpected platform, even with allow-partial',
      [amd64, arm64, image('linux/s390x', 's390x', 's390x.json')],
      ['linux/amd64', 'linux/arm64'],
      true,
      'platforms',
      ['linux/s390x from "s390x.json" is not expected (platforms: linux/amd64, linux/arm64).'],
      'Add it to platforms or remove its record.',
    ],
    [
      'two unexpected platforms in one message',
      [amd64, image('linux/ppc64le', 'ppc', 'ppc.json'), image('linux/s390x', 's390x', 's390x.json')],
      ['linux/amd64'],
      false,
      'platforms',
      ['linux/ppc64le from "ppc.json" and linux/s390x from "s390x.json" are not expected (platforms: linux/amd64).'],
      'Add them to platforms or remove their records.',
    ],
    [
      'two missing platforms in one message',
      [amd64],
      ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
      false,
      'platforms',
      ['linux/arm64 and linux/arm/v7 are expected but no record has them (found linux/amd64).'],
      'Check the arm64 and arm/v7 build jobs, or set allow-partial: true.',
    ],
  ])('refuses %s', (_name, children, platforms, allowPartial, subject, problemParts, fix) => {
    const error = userErrorFrom(() => validate(children, platforms, allowPartial));
    expect(error.subject).toBe(subject);
    for (const part of problemParts) expect(error.problem).toContain(part);
    expect(error.fix).toContain(fix);
  });

  test('says exactly what is missing and what to do', () => {
    const error = userErrorFrom(() => validate([amd64], ['linux/amd64', 'linux/arm64']));
    expect(error.message).toBe(
      'platforms: linux/arm64 is expected but no record has it (found linux/amd64). Check the arm64 build job, or set allow-partial: true.',
    );
  });
});

describe('validateChildren: allow-partial', () => {
  test.each<[string, readonly Child[], readonly string[], readonly string[]]>([
    [
      'a missing platform is a warning',
      [amd64, attestation(amd64)],
      ['linux/amd64', 'linux/arm64'],
      [
        'platforms: linux/arm64 is expected but no record has it (found linux/amd64). Publishing the index with the platforms found, as allow-partial is true.',
      ],
    ],
    ['nothing missing, no warning', [amd64, arm64], ['linux/arm64', 'linux/amd64'], []],
  ])('%s', (_name, children, platforms, warnings) => {
    expect(validate(children, platforms, true)).toEqual({ warnings });
  });
});
