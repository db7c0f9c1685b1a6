import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { parseResumeArgs, run } from '../../cli/resume';

describe('cloudmend resume', () => {
  const dynamodb = mockClient(DynamoDBClient);
  let out: string[];
  beforeEach(() => {
    dynamodb.reset();
    out = [];
    const collect = (chunk: unknown) => {
      out.push(String(chunk));
      return true;
    };
    jest.spyOn(process.stdout, 'write').mockImplementation(collect);
    jest.spyOn(process.stderr, 'write').mockImplementation(collect);
  });
  afterEach(() => jest.restoreAllMocks());

  it('lifts the pause in the region state table and says what it lifted', async () => {
    dynamodb
      .on(UpdateItemCommand)
      .resolves({ Attributes: { paused: { BOOL: true }, failures: { N: '3' }, lastError: { S: 'AccessDenied: no' } } });

    expect(await run(['--account', '222222222222', '--bot', 's3_enable_versioning', '--region', 'eu-west-1'])).toBe(0);

    const input = dynamodb.commandCalls(UpdateItemCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      TableName: 'cloudmend-state-eu-west-1',
      Key: { id: { S: 'breaker#222222222222#s3_enable_versioning' } },
      UpdateExpression: 'SET failures = :zero, paused = :false, resumedAt = :now, resumedBy = :by',
      ReturnValues: 'ALL_OLD',
    });
    expect(input.ExpressionAttributeValues).toMatchObject({ ':zero': { N: '0' }, ':false': { BOOL: false } });
    expect(out.join('')).toBe(
      'resumed s3_enable_versioning in account 222222222222 (eu-west-1): it was paused after 3 failures in a row (last: AccessDenied: no)\n',
    );
  });

  it('says so when the bot was not paused', async () => {
    dynamodb.on(UpdateItemCommand).resolves({});
    expect(await run(['--account', '222222222222', '--bot', 's3_enable_versioning', '--region', 'eu-west-1', '--table', 'custom'])).toBe(0);
    expect(dynamodb.commandCalls(UpdateItemCommand)[0]!.args[0].input.TableName).toBe('custom');
    expect(out.join('')).toContain('was not paused');
  });

  it.each([
    [['--bot', 's3_enable_versioning', '--region', 'eu-west-1'], '--account needs a 12-digit account id'],
    [
      ['--account', '222222222222', '--bot', 's3_enable_versionin', '--region', 'eu-west-1'],
      '--bot: no bot named "s3_enable_versionin"; did you mean "s3_enable_versioning"?',
    ],
    [
      ['--account', '222222222222', '--bot', 's3_enable_versioning', '--region', 'mars-1'],
      '--region needs the region of the handler that paused the bot, e.g. us-east-1',
    ],
  ])('refuses %j without touching the table: %s', async (argv, message) => {
    expect(await parseResumeArgs(argv)).toBe(message);
    expect(await run(argv)).toBe(2);
    expect(dynamodb.calls()).toHaveLength(0);
  });
});
