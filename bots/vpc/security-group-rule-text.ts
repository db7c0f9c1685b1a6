import type { SecurityGroupRule } from '@aws-sdk/client-ec2';

/**
 * One security group rule as a person reads it, with everything needed to
 * re-create it: `sgr-0abc inbound tcp 22 from 0.0.0.0/0 "ssh"`.
 */
export function describeRule(rule: SecurityGroupRule): string {
  const direction = rule.IsEgress ? 'outbound' : 'inbound';
  const peer = `${rule.IsEgress ? 'to' : 'from'} ${describePeer(rule)}`;
  const note = rule.Description ? ` "${rule.Description}"` : '';
  return `${rule.SecurityGroupRuleId ?? 'rule'} ${direction} ${describeTraffic(rule)} ${peer}${note}`;
}

export function describeTraffic(rule: Pick<SecurityGroupRule, 'IpProtocol' | 'FromPort' | 'ToPort'>): string {
  const protocol = (rule.IpProtocol ?? '-1').toLowerCase();
  if (protocol === '-1' || protocol === 'all') return 'all traffic';
  if (protocol === 'icmp' || protocol === 'icmpv6' || protocol === '1' || protocol === '58') {
    const name = protocol === '1' ? 'icmp' : protocol === '58' ? 'icmpv6' : protocol;
    const type = rule.FromPort === undefined || rule.FromPort === -1 ? 'all types' : `type ${rule.FromPort}`;
    const code = rule.ToPort === undefined || rule.ToPort === -1 ? '' : ` code ${rule.ToPort}`;
    return `${name} ${type}${code}`;
  }
  const name = protocol === '6' ? 'tcp' : protocol === '17' ? 'udp' : /^\d+$/.test(protocol) ? `protocol ${protocol}` : protocol;
  return `${name} ${describePorts(rule.FromPort, rule.ToPort)}`;
}

function describePorts(from: number | undefined, to: number | undefined): string {
  if (from === undefined || from === -1 || (from === 0 && to === 65535)) return 'all ports';
  if (to === undefined || to === from) return `port ${from}`;
  return `ports ${from}-${to}`;
}

function describePeer(rule: SecurityGroupRule): string {
  if (rule.CidrIpv4) return rule.CidrIpv4;
  if (rule.CidrIpv6) return rule.CidrIpv6;
  if (rule.PrefixListId) return `prefix list ${rule.PrefixListId}`;
  const group = rule.ReferencedGroupInfo;
  if (group?.GroupId) {
    const owner = group.UserId && group.UserId !== rule.GroupOwnerId ? ` of account ${group.UserId}` : '';
    const peering = group.VpcPeeringConnectionId ? ` via ${group.VpcPeeringConnectionId}` : '';
    return `security group ${group.GroupId}${owner}${peering}`;
  }
  return 'unknown peer';
}
