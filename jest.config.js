// Three projects, as the style guide lays out (pure units, real registries, and the actions run as a runner runs
// them), and the harness's own tests apart.
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testEnvironment: 'node',
};

export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/__tests__/integration/**/*.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/__tests__/e2e/**/*.test.ts'] },
    // The test harness's own tests: the registries, images, proxies and runner the other projects stand on.
    { ...common, displayName: 'harness', testMatch: ['<rootDir>/__tests__/harness/**/*.test.ts'] },
  ],
  testTimeout: 120000,
};
