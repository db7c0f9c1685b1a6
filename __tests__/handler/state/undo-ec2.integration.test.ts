/**
 * Remediate, then `cloudmend undo`, against moto, for the EC2 bots whose
 * changes are reversible: a stopped instance runs again, EBS encryption by
 * default reads back as seeded (moto 5.2.1 has no GetEbsDefaultKmsKeyId: the
 * default key's undoer is unit-tested in undoers.test.ts), and a quarantined
 * instance's interfaces get their own security groups back (the undo session
 * names that interface and those groups, from the ids the change recorded).
 * The quarantine group itself is left, and released addresses are refused,
 * each saying why.
 */
import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  DisableEbsEncryptionByDefaultCommand,
  GetEbsEncryptionByDefaultCommand,
} from '@aws-sdk/client-ec2';
import ebsEncryptionByDefault from '../../../bots/ec2/ebs_enable_encryption_by_default';
import ec2QuarantineInstance from '../../../bots/ec2/ec2_quarantine_instance';
import ec2ReleaseEips from '../../../bots/ec2/ec2_release_eips';
import ec2StopInstance from '../../../bots/ec2/ec2_stop_instance';
import type { PolicyDocument } from '../../../bots/permissions';
import { undo } from '../../../cli/undo';
import { undoSessionPolicy } from '../../../handler/state/undo';
import { adminEc2, readInstance, seedInstance } from '../../bots/ec2/moto-seed';
import { describeMoto } from '../../support/moto';
import { createStateTable } from './support';
import { MEMBER, REGION, remediate, TABLE, undoArgs, undoIo, undoResult } from './undo-support';

describeMoto('EC2: remediate, then undo, against moto', () => {
  beforeEach(async () => {
    await createStateTable(TABLE, REGION);
  });

  it('ec2_stop_instance: undo starts the instance again', async () => {
    const admin = await adminEc2();
    const { instanceId } = await seedInstance(admin);
    const outcome = await remediate(ec2StopInstance, 'AWS::EC2::Instance', instanceId);
    expect((await readInstance(admin, instanceId)).State?.Name).toMatch(/^stopp/);

    const { code, text } = await undoResult(outcome);
    expect(text).toContain('starts the instance again');
    expect(code).toBe(0);
    expect((await readInstance(admin, instanceId)).State?.Name).toMatch(/^(pending|running)$/);
  });

  it('ebs_enable_encryption_by_default: undo turns it off again', async () => {
    const ec2 = await adminEc2();
    await ec2.send(new DisableEbsEncryptionByDefaultCommand({}));
    const outcome = await remediate(ebsEncryptionByDefault, 'AWS::::Account', MEMBER);
    expect(outcome.result?.status).toBe('remediated');
    expect((await ec2.send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(true);

    const { code, text } = await undoResult(outcome);
    expect(text).toContain('restored: ec2:EnableEbsEncryptionByDefault');
    expect(code).toBe(0);
    expect((await ec2.send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(false);
  });

  it('ec2_quarantine_instance: undo gives each interface its own groups back, with a session naming that interface and those groups', async () => {
    const admin = await adminEc2();
    const seeded = await seedInstance(admin);
    const groupsOf = async () =>
      ((await readInstance(admin, seeded.instanceId)).NetworkInterfaces ?? []).map((eni) => ({
        eni: eni.NetworkInterfaceId,
        groups: (eni.Groups ?? []).map((g) => g.GroupId).sort(),
      }));
    const before = await groupsOf();

    const outcome = await remediate(ec2QuarantineInstance, 'AWS::EC2::Instance', seeded.instanceId);
    expect(outcome.result?.status).toBe('remediated');
    expect(await groupsOf()).not.toEqual(before);

    const sessions: PolicyDocument[] = [];
    const { io, text } = undoIo();
    const clients = io.clients!;
    io.clients = (step, factory) => {
      sessions.push(undoSessionPolicy(step));
      return clients(step, factory);
    };
    const code = await undo(undoArgs({ resultId: outcome.resultId! }), io);
    expect(text()).toContain('gives each network interface back the security groups it had');
    expect(text()).toMatch(/ec2:CreateSecurityGroup on .*REFUSED, irreversible: the cloudmend-quarantine group/);
    expect(code).toBe(1); // the quarantine group's own changes are refused, saying why
    expect(await groupsOf()).toEqual(before);

    const eni = before[0]!.eni!;
    const modify = sessions[0]!.Statement.find((s) => s.Action.includes('ec2:ModifyNetworkInterfaceAttribute'))!;
    expect(modify.Resource).toEqual(
      expect.arrayContaining([
        `arn:aws:ec2:${REGION}:${MEMBER}:network-interface/${eni}`,
        ...before[0]!.groups.map((g) => `arn:aws:ec2:${REGION}:${MEMBER}:security-group/${g}`),
      ]),
    );
    expect(modify.Resource.join(' ')).not.toContain('*');
  });

  it('ec2_release_eips: undo refuses, a released address may belong to anyone by now', async () => {
    const admin = await adminEc2();
    const { instanceId } = await seedInstance(admin);
    const { AllocationId } = await admin.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    await admin.send(new AssociateAddressCommand({ AllocationId, InstanceId: instanceId }));
    const outcome = await remediate(ec2ReleaseEips, 'AWS::EC2::Instance', instanceId);
    expect(outcome.result?.status).toBe('remediated');
    const { code, text } = await undoResult(outcome);
    expect(code).toBe(1);
    expect(text).toContain('REFUSED, irreversible: a released Elastic IP goes back to AWS');
  });
});
