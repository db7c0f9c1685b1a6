import { describeRule, describeTraffic } from '../../../bots/vpc/security-group-rule-text';

describe('describeRule', () => {
  it('names the rule id, direction, protocol, port, source and description of an inbound CIDR rule', () => {
    expect(
      describeRule({
        SecurityGroupRuleId: 'sgr-1',
        IsEgress: false,
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        CidrIpv4: '0.0.0.0/0',
        Description: 'ssh',
      }),
    ).toBe('sgr-1 inbound tcp port 22 from 0.0.0.0/0 "ssh"');
  });

  it('says "to" for outbound rules and names IPv6 ranges', () => {
    expect(
      describeRule({ SecurityGroupRuleId: 'sgr-2', IsEgress: true, IpProtocol: '-1', FromPort: -1, ToPort: -1, CidrIpv6: '::/0' }),
    ).toBe('sgr-2 outbound all traffic to ::/0');
  });

  it('names prefix lists and referenced groups, with the owner when it is another account and the peering', () => {
    expect(
      describeRule({
        SecurityGroupRuleId: 'sgr-3',
        IsEgress: false,
        IpProtocol: 'udp',
        FromPort: 1000,
        ToPort: 2000,
        PrefixListId: 'pl-1',
      }),
    ).toBe('sgr-3 inbound udp ports 1000-2000 from prefix list pl-1');
    expect(
      describeRule({
        SecurityGroupRuleId: 'sgr-4',
        IsEgress: false,
        GroupOwnerId: '222222222222',
        IpProtocol: 'tcp',
        FromPort: 5432,
        ToPort: 5432,
        ReferencedGroupInfo: { GroupId: 'sg-9', UserId: '333333333333', VpcPeeringConnectionId: 'pcx-1' },
      }),
    ).toBe('sgr-4 inbound tcp port 5432 from security group sg-9 of account 333333333333 via pcx-1');
    expect(
      describeRule({
        SecurityGroupRuleId: 'sgr-5',
        IsEgress: false,
        GroupOwnerId: '222222222222',
        IpProtocol: 'tcp',
        FromPort: 80,
        ToPort: 80,
        ReferencedGroupInfo: { GroupId: 'sg-8', UserId: '222222222222' },
      }),
    ).toBe('sgr-5 inbound tcp port 80 from security group sg-8');
  });
});

describe('describeTraffic', () => {
  it.each([
    [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535 }, 'tcp all ports'],
    [{ IpProtocol: '6', FromPort: 443, ToPort: 443 }, 'tcp port 443'],
    [{ IpProtocol: '17', FromPort: 53, ToPort: 53 }, 'udp port 53'],
    [{ IpProtocol: 'icmp', FromPort: -1, ToPort: -1 }, 'icmp all types'],
    [{ IpProtocol: 'icmp', FromPort: 8, ToPort: 0 }, 'icmp type 8 code 0'],
    [{ IpProtocol: '58', FromPort: 128, ToPort: -1 }, 'icmpv6 type 128'],
    [{ IpProtocol: '50', FromPort: -1, ToPort: -1 }, 'protocol 50 all ports'],
    [{ IpProtocol: '-1' }, 'all traffic'],
  ])('%j reads as "%s"', (rule, text) => {
    expect(describeTraffic(rule)).toBe(text);
  });
});
