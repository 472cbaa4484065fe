import { describe, expect, test } from '@jest/globals';
import { resolve } from 'node:path';
import { runActionAsRunner } from '../support/runner.js';

const planAction = resolve('matrix');

describe('the plan action run as the runner runs dist/matrix.js', () => {
  test('sets a matrix output that fromJSON reads, the normalised platforms and the count, and writes the summary', async () => {
    const run = await runActionAsRunner(planAction, {
      platforms: 'linux/amd64,linux/aarch64\nlinux/arm,windows/amd64,linux/s390x',
      runners: 'windows=windows-2022\nlinux/s390x=["self-hosted","s390x"]',
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.outputs.matrix ?? '')).toEqual({
      include: [
        { platform: 'linux/amd64', pair: 'linux-amd64', 'runs-on': 'ubuntu-latest', emulated: false },
        { platform: 'linux/arm64', pair: 'linux-arm64', 'runs-on': 'ubuntu-24.04-arm', emulated: false },
        { platform: 'linux/arm/v7', pair: 'linux-arm-v7', 'runs-on': 'ubuntu-24.04-arm', emulated: false },
        { platform: 'windows/amd64', pair: 'windows-amd64', 'runs-on': 'windows-2022', emulated: false },
        { platform: 'linux/s390x', pair: 'linux-s390x', 'runs-on': ['self-hosted', 's390x'], emulated: false },
      ],
    });
    expect(run.outputs.platforms).toBe('linux/amd64,linux/arm64,linux/arm/v7,windows/amd64,linux/s390x');
    expect(run.outputs.count).toBe('5');
    expect(run.summary).toContain('| `linux/arm/v7` | `ubuntu-24.04-arm` | no |');
    expect(run.summary).toContain('| `linux/s390x` | `self-hosted`, `s390x` | no |');
  });

  test('with emulate, marks the platforms without a native runner emulated', async () => {
    const run = await runActionAsRunner(planAction, { platforms: 'linux/amd64,linux/riscv64', emulate: 'true' });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.outputs.matrix ?? '').include).toEqual([
      { platform: 'linux/amd64', pair: 'linux-amd64', 'runs-on': 'ubuntu-latest', emulated: false },
      { platform: 'linux/riscv64', pair: 'linux-riscv64', 'runs-on': 'ubuntu-latest', emulated: true },
    ]);
    expect(run.summary).toContain('| `linux/riscv64` | `ubuntu-latest` | yes (QEMU) |');
  });

  test('on GitHub Enterprise Server, the defaults are self-hosted runners, and the log says why', async () => {
    const run = await runActionAsRunner(
      planAction,
      { platforms: 'linux/amd64,linux/arm64' },
      { env: { GITHUB_SERVER_URL: 'https://ghes.example.com', GITHUB_API_URL: 'https://ghes.example.com/api/v3' } },
    );
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.outputs.matrix ?? '').include).toEqual([
      { platform: 'linux/amd64', pair: 'linux-amd64', 'runs-on': ['self-hosted', 'linux', 'x64'], emulated: false },
      { platform: 'linux/arm64', pair: 'linux-arm64', 'runs-on': ['self-hosted', 'linux', 'ARM64'], emulated: false },
    ]);
    expect(run.stdout).toContain(
      'GitHub Enterprise Server https://ghes.example.com has no GitHub-hosted runners: the default runners are self-hosted ones.',
    );
  });

  test.each([
    ['linux/amd64,linux', /^platforms: invalid platform "linux": expected os\/architecture\[\/variant\]/],
    ['linux/amd64,linux/s390x', /^platforms: linux\/s390x has no native runner .* set `emulate: true`/],
  ])(
    'a bad platform list %j fails the step with one error naming platforms, and sets no output',
    async (platforms, message) => {
      const run = await runActionAsRunner(planAction, { platforms });
      expect(run.exitCode).toBe(1);
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toMatch(message);
      expect(run.outputs).toEqual({});
    },
  );
});
