/**
 * The after-run check: `jest -c __tests__/recorded-calls/jest.config.js`, run
 * after the main suite has written the calls bots sent in their tests to
 * .gen/recorded-calls/. Needs all of them at once, hence its own run.
 */
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__/recorded-calls'],
  testMatch: ['**/*.check.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }],
  },
  setupFiles: ['<rootDir>/__tests__/support/env.ts'],
  testTimeout: 60000,
};
