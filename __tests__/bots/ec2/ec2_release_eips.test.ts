import { mockClient } from 'aws-sdk-client-mock';
import { DescribeAddressesCommand, DisassociateAddressCommand, EC2Client, ReleaseAddressCommand } from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ec2_release_eips';
import { botContext } from '../../support/bot-context';

const resource = { type: 'AWS::EC2::Instance', id: 'i-0123456789abcdef0' };

describe('ec2_release_eips', () => {
  const ec2 = mockClient(EC2Client);
  beforeEach(() => ec2.reset());
  afterAll(() => ec2.restore());

  it('is flagged destructive: a released address is usually gone for good', () => {
    expect(bot.meta.destructive).toBe(true);
  });

  it('disassociates and releases every Elastic IP of the instance, listing them', async () => {
    ec2.on(DescribeAddressesCommand).resolves({
      Addresses: [
        { AllocationId: 'eipalloc-1', AssociationId: 'eipassoc-1', PublicIp: '203.0.113.10', NetworkBorderGroup: 'us-east-1' },
        { AllocationId: 'eipalloc-2', AssociationId: 'eipassoc-2', PublicIp: '203.0.113.11', NetworkBorderGroup: 'us-east-1-bos-1' },
      ],
    });

    const result = await bot.run(botContext(bot, { resource }));

    expect(ec2.commandCalls(DescribeAddressesCommand)[0]!.args[0].input).toEqual({
      Filters: [{ Name: 'instance-id', Values: ['i-0123456789abcdef0'] }],
    });
    expect(ec2.commandCalls(DisassociateAddressCommand).map((c) => c.args[0].input)).toEqual([
      { AssociationId: 'eipassoc-1' },
      { AssociationId: 'eipassoc-2' },
    ]);
    expect(ec2.commandCalls(ReleaseAddressCommand).map((c) => c.args[0].input)).toEqual([
      { AllocationId: 'eipalloc-1', NetworkBorderGroup: 'us-east-1' },
      { AllocationId: 'eipalloc-2', NetworkBorderGroup: 'us-east-1-bos-1' },
    ]);
    expect(result.status).toBe('remediated');
    expect(result.message).toBe('released 2 Elastic IP(s) of i-0123456789abcdef0: 203.0.113.10 (eipalloc-1), 203.0.113.11 (eipalloc-2)');
    expect(result.changes).toEqual([
      {
        action: 'ec2:DisassociateAddress',
        target: 'arn:aws:ec2:us-east-1:222222222222:elastic-ip/eipalloc-1',
        description: '203.0.113.10 (eipalloc-1) disassociated from i-0123456789abcdef0',
        applied: true,
        undo: { kind: 'address-release', before: null, after: null },
      },
      {
        action: 'ec2:ReleaseAddress',
        target: 'arn:aws:ec2:us-east-1:222222222222:elastic-ip/eipalloc-1',
        description: '203.0.113.10 (eipalloc-1) released',
        applied: true,
        undo: { kind: 'address-release', before: null, after: null },
      },
      expect.objectContaining({ action: 'ec2:DisassociateAddress', target: expect.stringMatching(/eipalloc-2$/) }),
      expect.objectContaining({ action: 'ec2:ReleaseAddress', target: expect.stringMatching(/eipalloc-2$/) }),
    ]);
  });

  it('writes through credentials naming one address it read for the instance at a time, with its interface', async () => {
    ec2.on(DescribeAddressesCommand).resolves({
      Addresses: [
        { AllocationId: 'eipalloc-1', AssociationId: 'eipassoc-1', NetworkInterfaceId: 'eni-1', PublicIp: '203.0.113.10' },
        { AllocationId: 'eipalloc-2', PublicIp: '203.0.113.11' },
      ],
    });
    const narrowed: unknown[] = [];
    await bot.run(botContext(bot, { resource, onNarrow: (ids) => narrowed.push(ids) }));
    expect(narrowed).toEqual([
      { allocationId: ['eipalloc-1'], networkInterfaceId: ['eni-1'] },
      { allocationId: ['eipalloc-2'], networkInterfaceId: [] },
    ]);
  });

  it('disassociates before releasing, since an associated address cannot be released', async () => {
    ec2
      .on(DescribeAddressesCommand)
      .resolves({ Addresses: [{ AllocationId: 'eipalloc-1', AssociationId: 'eipassoc-1', PublicIp: '203.0.113.10' }] });
    await bot.run(botContext(bot, { resource }));
    const order = ec2.calls().map((c) => c.args[0].constructor.name);
    expect(order).toEqual(['DescribeAddressesCommand', 'DisassociateAddressCommand', 'ReleaseAddressCommand']);
  });

  it('releases without disassociating when the address has no association id, and omits an unknown border group', async () => {
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [{ AllocationId: 'eipalloc-1', PublicIp: '203.0.113.10' }] });
    const result = await bot.run(botContext(bot, { resource }));
    expect(ec2.commandCalls(DisassociateAddressCommand)).toHaveLength(0);
    expect(ec2.commandCalls(ReleaseAddressCommand)[0]!.args[0].input).toEqual({ AllocationId: 'eipalloc-1' });
    expect(result.changes.map((c) => c.action)).toEqual(['ec2:ReleaseAddress']);
  });

  it('reports already-compliant and writes nothing when the instance has no Elastic IP', async () => {
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [] });
    const result = await bot.run(botContext(bot, { resource }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: 'no Elastic IP is associated with i-0123456789abcdef0',
      changes: [],
    });
    expect(ec2.calls()).toHaveLength(1);
  });

  it('in dry run lists both writes per address and makes neither', async () => {
    ec2
      .on(DescribeAddressesCommand)
      .resolves({ Addresses: [{ AllocationId: 'eipalloc-1', AssociationId: 'eipassoc-1', PublicIp: '203.0.113.10' }] });
    const result = await bot.run(botContext(bot, { resource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes.map((c) => [c.action, c.applied])).toEqual([
      ['ec2:DisassociateAddress', false],
      ['ec2:ReleaseAddress', false],
    ]);
    expect(ec2.commandCalls(DisassociateAddressCommand)).toHaveLength(0);
    expect(ec2.commandCalls(ReleaseAddressCommand)).toHaveLength(0);
  });

  it('fails clearly on an address without an allocation id, before releasing any address', async () => {
    ec2.on(DescribeAddressesCommand).resolves({
      Addresses: [{ AllocationId: 'eipalloc-1', AssociationId: 'eipassoc-1', PublicIp: '203.0.113.10' }, { PublicIp: '198.51.100.7' }],
    });
    await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow('Elastic IP 198.51.100.7 has no allocation id');
    expect(ec2.commandCalls(DisassociateAddressCommand)).toHaveLength(0);
    expect(ec2.commandCalls(ReleaseAddressCommand)).toHaveLength(0);
  });

  it('rejects a finding whose resource is not an instance id', async () => {
    await expect(bot.run(botContext(bot, { resource: { type: 'AWS::EC2::EIP', id: 'eipalloc-1' } }))).rejects.toThrow(
      'expected an EC2 instance id',
    );
    expect(ec2.calls()).toHaveLength(0);
  });

  it('takes no params', () => {
    expect(bot.meta.params.safeParse({}).success).toBe(true);
    expect(bot.meta.params.safeParse({ keep: 'true' }).success).toBe(false);
  });
});
