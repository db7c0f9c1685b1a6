/**
 * Registered in jest.config.js (setupFilesAfterEnv) for every test file: fails
 * a test whose bot sent an undeclared command even when the bot caught the
 * error, and writes the file's recorded calls for the after-run check
 * (__tests__/recorded-calls/).
 */
import { takeViolations, writeRecords } from './recording';

afterEach(() => {
  const violations = takeViolations();
  if (violations.length > 0) throw new Error(violations.join('\n'));
});

afterAll(() => {
  writeRecords(expect.getState().testPath ?? 'unknown.test.ts');
});
