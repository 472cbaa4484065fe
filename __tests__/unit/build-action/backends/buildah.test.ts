import { buildahBudArguments } from '../../../../src/build-action/backends/buildah.js';
import { parseBuildInputs } from '../../../../src/build-action/inputs.js';
import type { BuildInputs } from '../../../../src/build-action/types.js';

function inputs(raw: Record<string, string>): BuildInputs {
  return parseBuildInputs((name) => ({ images: 'ghcr.io/o/app', platform: 'linux/arm/v7', ...raw })[name] ?? '');
}

describe('buildah command line', () => {
  test('builds the platform into an image id file, never naming a tag', () => {
    expect(buildahBudArguments(inputs({ builder: 'buildah' }), { imageIdFile: '/tmp/iid', secrets: [] })).toEqual([
      'bud',
      '--platform',
      'linux/arm/v7',
      '--iidfile',
      '/tmp/iid',
      '.',
    ]);
  });

  test('pins timestamps to SOURCE_DATE_EPOCH and passes the build options through', () => {
    const args = buildahBudArguments(
      inputs({ builder: 'buildah', file: 'F', target: 't', 'build-args': 'A=1', pull: 'true' }),
      { imageIdFile: '/tmp/iid', secrets: [{ id: 'npm', file: '/tmp/s' }], sourceDateEpoch: '1700000000' },
    );
    expect(args.slice(5)).toEqual([
      '--file',
      'F',
      '--target',
      't',
      '--build-arg',
      'A=1',
      '--secret',
      'id=npm,src=/tmp/s',
      '--pull=always',
      '--timestamp',
      '1700000000',
      '.',
    ]);
  });
});
