/**
 * Remediate, then `cloudmend undo`, against moto, for vpc_turn_on_flow_logs
 * (the flow log it created is deleted, through a session naming that flow log
 * only; the delivery role and log group are left, saying why) and
 * rds_enable_backup (the retention reads back as seeded).
 */
import { CreateVpcCommand, DescribeFlowLogsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateDBInstanceCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import rdsEnableBackup from '../../../bots/rds/rds_enable_backup';
import vpcTurnOnFlowLogs from '../../../bots/vpc/vpc_turn_on_flow_logs';
import type { PolicyDocument } from '../../../bots/permissions';
import { undo } from '../../../cli/undo';
import { undoSessionPolicy } from '../../../handler/state/undo';
import { describeMoto, memberSession } from '../../support/moto';
import { createStateTable } from './support';
import { MEMBER, REGION, remediate, TABLE, undoArgs, undoIo, undoResult } from './undo-support';

describeMoto('VPC and RDS: remediate, then undo, against moto', () => {
  beforeEach(async () => {
    await createStateTable(TABLE, REGION);
  });

  it('vpc_turn_on_flow_logs: undo deletes the flow log it created, and only that one', async () => {
    const ec2 = (await memberSession(MEMBER, REGION)).client(EC2Client);
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc!.VpcId!;
    const flowLogs = async () =>
      ((await ec2.send(new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: [vpcId] }] }))).FlowLogs ?? []).map(
        (f) => f.FlowLogId,
      );
    const seeded = await flowLogs();

    const outcome = await remediate(vpcTurnOnFlowLogs, 'AWS::EC2::VPC', vpcId);
    expect(outcome.result?.status).toBe('remediated');
    const created = (await flowLogs()).filter((id) => !seeded.includes(id));
    expect(created).toHaveLength(1);

    const sessions: PolicyDocument[] = [];
    const { io, text } = undoIo();
    const clients = io.clients!;
    io.clients = (step, factory) => {
      sessions.push(undoSessionPolicy(step));
      return clients(step, factory);
    };
    const code = await undo(undoArgs({ resultId: outcome.resultId! }), io);
    expect(text()).toContain('restored: ec2:CreateFlowLogs');
    expect(text()).toContain('REFUSED, irreversible: the delivery role and log group flow logs write through are left');
    expect(code).toBe(1);
    expect(await flowLogs()).toEqual(seeded);
    const remove = sessions[0]!.Statement.find((s) => s.Action.includes('ec2:DeleteFlowLogs'))!;
    expect(remove.Resource).toEqual([`arn:aws:ec2:${REGION}:${MEMBER}:vpc-flow-log/${created[0]}`]);
  });

  it('rds_enable_backup: undo sets the retention back as seeded', async () => {
    const rds = (await memberSession(MEMBER, REGION)).client(RDSClient);
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'undo-db',
        DBInstanceClass: 'db.t3.micro',
        Engine: 'postgres',
        AllocatedStorage: 20,
        MasterUsername: 'admin1',
        MasterUserPassword: 'password-123',
        BackupRetentionPeriod: 1,
      }),
    );
    const retention = async () =>
      (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'undo-db' }))).DBInstances![0]!.BackupRetentionPeriod;
    const seeded = await retention();

    const outcome = await remediate(rdsEnableBackup, 'AWS::RDS::DBInstance', 'undo-db');
    expect(outcome.result?.status).toBe('remediated');
    expect(await retention()).toBe(7);

    expect((await undoResult(outcome)).code).toBe(0);
    expect(await retention()).toBe(seeded);
  });
});
