/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type checking is `npm run build` (tsc); jest only transpiles, which keeps the suite fast.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }],
  },
  setupFiles: ['<rootDir>/__tests__/support/env.ts'],
  // Records the SDK commands bots send in their tests; see __tests__/support/recording.ts.
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/recording-setup.ts'],
  globalSetup: '<rootDir>/__tests__/support/moto-global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/support/moto-global-teardown.ts',
  testTimeout: 30000,
};
