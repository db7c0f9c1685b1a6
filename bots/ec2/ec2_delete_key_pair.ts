import { z } from 'zod';
import type { KeyPairInfo } from '@aws-sdk/client-ec2';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { sdk } from '../sdk';

const KEY_PAIR_ARN = 'arn:{partition}:ec2:{region}:{account}:key-pair/{resourceId}';
const KIND = 'key-pair';

export default defineBot({
  meta: {
    name: 'ec2_delete_key_pair',
    summary: 'Delete the EC2 key pair',
    description:
      'Deletes the key pair (named by the finding) from EC2, so no new instance can be launched with it. Instances ' +
      'already launched with it keep the public key in their authorized keys: deleting the key pair does not lock ' +
      'anyone out of them, nor revoke access for whoever holds the private key. A key pair that no longer exists is ' +
      'compliant. Destructive and irreversible (the key pair id and its record are gone): runs only when opted in.',
    resourceTypes: ['AWS::EC2::KeyPair'],
    params: z.strictObject({}),
    destructive: true,
    permissions: [
      {
        actions: ['ec2:DescribeKeyPairs'],
        resources: ['*'],
        reason: 'find the key pair (DescribeKeyPairs supports no resource-level permissions)',
      },
      { actions: ['ec2:DeleteKeyPair'], resources: [KEY_PAIR_ARN], reason: 'delete the key pair' },
    ],
    undo: {
      [KIND]: {
        reversible: false,
        why: 'a deleted key pair cannot be brought back (its public key can be imported again by hand, under a new key pair id)',
      },
    },
  },
  async run(ctx) {
    const { EC2Client, DeleteKeyPairCommand, DescribeKeyPairsCommand } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const name = ctx.finding.resource.id;
    // The session policy names the key pair by name (its ARN's form); an id there would name nothing.
    if (/^key-[0-9a-f]{17}$/.test(name)) throw new Error(`expected the key pair's name as the finding's resource, got its id "${name}"`);
    let found: KeyPairInfo | undefined;
    try {
      found = (await ec2.send(new DescribeKeyPairsCommand({ KeyNames: [name] }))).KeyPairs?.find((k) => k.KeyName === name);
    } catch (error) {
      if ((error as { name?: string }).name !== 'InvalidKeyPair.NotFound') throw error;
    }
    const changes = new ChangeSet(ctx);
    if (found) {
      const what = [found.KeyPairId, found.KeyType, found.KeyFingerprint && `fingerprint ${found.KeyFingerprint}`]
        .filter(Boolean)
        .join(', ');
      await changes.apply(
        {
          action: 'ec2:DeleteKeyPair',
          target: `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.account}:key-pair/${name}`,
          description: `deleted key pair ${name} (${what})`,
          undo: { kind: KIND, before: { exists: true }, after: { exists: false } },
        },
        () => ec2.send(new DeleteKeyPairCommand({ KeyName: name })),
      );
    }
    return changes.result(`deleted key pair ${name}`, `key pair ${name} does not exist`);
  },
});
