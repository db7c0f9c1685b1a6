import { UserFacingError } from '../../bots/errors';
import { describeFailure, UsageError } from '../../cli/errors';
import { ConfigError } from '../../config/errors';
import { awsError } from '../support/aws-error';

describe('describeFailure', () => {
  it("shows a user's mistake as its message alone", () => {
    expect(describeFailure(new UsageError('--event <file.json> is required', 'usage: cloudmend invoke --event <file.json>'))).toBe(
      '--event <file.json> is required',
    );
    const config = new ConfigError([{ file: 'cloudmend.yaml', line: 3, column: 5, field: 'mode', message: 'expected enforce or dry-run' }]);
    expect(describeFailure(config)).toBe('a problem in the cloudmend config:\n  cloudmend.yaml:3:5: mode: expected enforce or dry-run');
  });

  it('treats any UserFacingError subclass the same, with no list to keep', () => {
    class SomeNewMistake extends UserFacingError {}
    expect(describeFailure(new SomeNewMistake('fix the thing'))).toBe('fix the thing');
  });

  it("shows an AWS service's refusal as one line with its code", () => {
    expect(describeFailure(awsError('AccessDeniedException', 'not authorized to perform organizations:ListAccounts', 400))).toBe(
      'AccessDeniedException: not authorized to perform organizations:ListAccounts',
    );
  });

  it('shows a bug with its stack', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    expect(describeFailure(bug)).toBe(bug.stack);
    expect(describeFailure(bug).split('\n').length).toBeGreaterThan(1);
  });

  it('survives a thrown non-error', () => {
    expect(describeFailure('boom')).toBe('boom');
  });
});
