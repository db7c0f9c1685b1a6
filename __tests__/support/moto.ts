/**
 * The integration tier: tests against the moto server this worker owns (see
 * moto-global-setup.ts). `describeMoto` points AWS_ENDPOINT_URL at it for the
 * block and resets its state before each test; when moto is unavailable outside
 * CI the block is skipped with a notice.
 */
import { STSClient } from '@aws-sdk/client-sts';
import { assumeMemberRole, type MemberCredentials } from '../../handler/aws/assume-member-role';
import { createClientFactory } from '../../handler/aws/client-factory';
import type { PolicyDocument } from '../../bots/permissions';
import type { ClientFactory } from '../../bots/types';

export function motoUrl(): string | undefined {
  const urls = (process.env.CLOUDMEND_MOTO_URLS ?? '').split(',').filter(Boolean);
  if (urls.length === 0) return undefined;
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  return urls[(worker - 1) % urls.length];
}

export async function resetMoto(): Promise<void> {
  const url = motoUrl();
  if (!url) throw new Error('moto is not running');
  const response = await fetch(`${url}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset failed: ${response.status}`);
}

export function describeMoto(name: string, body: () => void): void {
  const testPath = expect.getState().testPath ?? '';
  if (!testPath.endsWith('.integration.test.ts')) {
    throw new Error(
      `describeMoto("${name}") in ${testPath}: moto tests belong in a *.integration.test.ts file (the unit tier starts no server)`,
    );
  }
  const url = motoUrl();
  if (!url) {
    const reason = process.env.CLOUDMEND_MOTO_UNAVAILABLE ?? 'CLOUDMEND_MOTO_URLS not set';
    if (process.env.CI) throw new Error(`integration tier required in CI, but moto is unavailable: ${reason}`);
    console.warn(`SKIPPED integration tests "${name}": moto unavailable (${reason})`);
    describe.skip(name, body);
    return;
  }
  describe(name, () => {
    let previous: string | undefined;
    beforeAll(() => {
      previous = process.env.AWS_ENDPOINT_URL;
      process.env.AWS_ENDPOINT_URL = url;
    });
    afterAll(() => {
      process.env.AWS_ENDPOINT_URL = previous;
    });
    beforeEach(resetMoto);
    body();
  });
}

export interface MemberSession {
  account: string;
  region: string;
  credentials: MemberCredentials;
  client: ClientFactory;
}

/**
 * Credentials in a member account the way the handler gets them: AssumeRole
 * with the external id and (optionally) the bot's session policy. Moto keys
 * state by the account of the assumed role, so this is how a test reaches a
 * second account.
 */
export async function memberSession(account: string, region = 'us-east-1', sessionPolicy?: PolicyDocument): Promise<MemberSession> {
  const sts = new STSClient({ region });
  const credentials = await assumeMemberRole(sts, {
    partition: 'aws',
    account,
    roleName: 'CloudmendRemediation',
    externalId: 'cloudmend',
    sessionName: 'cloudmend-test',
    ...(sessionPolicy ? { sessionPolicy } : {}),
  });
  return { account, region, credentials, client: createClientFactory({ region, credentials }) };
}
