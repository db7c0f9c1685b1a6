/**
 * Two tiers (see CONTRIBUTING.md):
 * - unit: `*.test.ts`, no network, AWS through aws-sdk-client-mock; starts no server.
 * - integration: `*.integration.test.ts`, against the moto servers its global setup starts.
 * `npm test` runs both, then the after-run check of recorded calls (__tests__/recorded-calls/).
 */
const transform = {
  // Type checking is `npm run build` (tsc); jest only transpiles, which keeps the suite fast.
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }],
};
const shared = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  transform,
  setupFiles: ['<rootDir>/__tests__/support/env.ts'],
  // Records the SDK commands bots send in their tests; see __tests__/support/recording.ts.
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/recording-setup.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  // One scratch root for every temporary file the tests write; teardown removes it whole.
  globalSetup: '<rootDir>/__tests__/support/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/support/global-teardown.ts',
  testTimeout: 30000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.integration\\.test\\.ts$'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['**/*.integration.test.ts'],
      globalSetup: '<rootDir>/__tests__/support/moto-global-setup.ts',
      globalTeardown: '<rootDir>/__tests__/support/moto-global-teardown.ts',
    },
  ],
};
