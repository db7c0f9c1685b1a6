/**
 * The recorder behind every bot test: it must see each command a bot sends,
 * still deliver it to aws-sdk-client-mock, and refuse one the bot did not
 * declare with a message that names bot, command and missing action.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { GetBucketVersioningCommand, PutBucketVersioningCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { defineBot } from '../../bots/types';
import { botContext, mockedClients } from '../support/bot-context';
import { recordedCalls, recordingClientFactory, takeViolations, UndeclaredCommandError } from '../support/recording';

const readsVersioning = defineBot({
  meta: {
    name: 'test_reads_versioning',
    summary: 'test bot',
    resourceTypes: ['AWS::S3::Bucket'],
    params: z.strictObject({}),
    permissions: [{ actions: ['s3:GetBucketVersioning'], resources: ['arn:{partition}:s3:::{resourceId}'], reason: 'test' }],
  },
  async run(ctx) {
    const s3 = ctx.client(S3Client);
    await s3.send(new GetBucketVersioningCommand({ Bucket: ctx.finding.resource.id }));
    try {
      // Declared nowhere: the recorder must fail the test even though the bot swallows the error.
      await s3.send(new PutPublicAccessBlockCommand({ Bucket: ctx.finding.resource.id, PublicAccessBlockConfiguration: {} }));
    } catch {
      /* swallowed on purpose */
    }
    return { status: 'already-compliant', message: '', changes: [] };
  },
});

const scope = { partition: 'aws', account: '222222222222', region: 'eu-west-1', resourceId: 'b' };

describe('recordingClientFactory', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());
  afterAll(() => s3.restore());

  it('records a declared command, attributed to the bot, and still delivers it to the mock', async () => {
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    const before = recordedCalls().length;
    const client = recordingClientFactory(readsVersioning.meta, mockedClients, { scope, dryRun: true })(S3Client, { region: 'us-west-2' });

    const response = await client.send(new GetBucketVersioningCommand({ Bucket: 'b' }));

    expect(response.Status).toBe('Enabled');
    expect(s3.commandCalls(GetBucketVersioningCommand)[0]!.args[0].input).toEqual({ Bucket: 'b' });
    expect(recordedCalls().slice(before)).toEqual([
      {
        bot: 'test_reads_versioning',
        client: 'S3Client',
        command: 'GetBucketVersioningCommand',
        actions: ['s3:GetBucketVersioning'],
        input: { Bucket: 'b' },
        region: 'us-west-2',
        scope,
        dryRun: true,
        test: expect.stringContaining('records a declared command'),
      },
    ]);
  });

  it('rejects an undeclared command before it is sent, naming bot, command and missing action', async () => {
    const client = recordingClientFactory(readsVersioning.meta, mockedClients, { scope, dryRun: false })(S3Client);

    const sent = client.send(new PutBucketVersioningCommand({ Bucket: 'b', VersioningConfiguration: { Status: 'Enabled' } }));

    await expect(sent).rejects.toThrow(UndeclaredCommandError);
    await expect(sent).rejects.toThrow(
      'bot test_reads_versioning sent PutBucketVersioningCommand, which needs s3:PutBucketVersioning, but its metadata does not declare it',
    );
    expect(s3.commandCalls(PutBucketVersioningCommand)).toHaveLength(0);
    expect(takeViolations()).toHaveLength(1);
  });

  it('keeps the violation when the bot swallows the error, so the test still fails', async () => {
    s3.on(GetBucketVersioningCommand).resolves({});
    await readsVersioning.run(botContext(readsVersioning, { resource: { type: 'AWS::S3::Bucket', id: 'b' } }));

    // Taken here so this test passes; in a bot's test recording-setup.ts throws them from afterEach.
    expect(takeViolations()).toEqual([
      expect.stringContaining('sent PutPublicAccessBlockCommand, which needs s3:PutBucketPublicAccessBlock'),
    ]);
  });
});
