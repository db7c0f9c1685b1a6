import { defineWorldOpenPortsBot } from './world-open-ports';

/** SSH and RDP: the remote server administration ports of CIS 4.1/4.2 (v1.2) and 5.2/5.3 (v1.4 on), EC2.13/14/53/54. */
export const ADMIN_PORTS = [22, 3389] as const;

export default defineWorldOpenPortsBot({
  name: 'sg_remove_world_open_admin_ports',
  summary: 'Remove only the inbound rules open to the world (0.0.0.0/0, ::/0) that reach SSH (22) or RDP (3389)',
  description:
    'Revokes, by rule id, each inbound rule of the group whose source is 0.0.0.0/0 or ::/0 and whose TCP, UDP or ' +
    'all-protocol port range includes 22 or 3389. Every other rule stays: rules from narrower CIDRs, security groups or ' +
    'prefix lists, other ports, and all outbound rules. With split=true a wider TCP/UDP range (say 0-1024 from ' +
    '0.0.0.0/0) is replaced by the same rule over what is left of it without 22 and 3389 (0-21 and 23-1024), added ' +
    'before the wide rule is removed; an all-protocol rule has no ports to split and is removed whole. Each change ' +
    'records the rules before and after it, and `cloudmend undo` puts them back. A group with no such rule, or one ' +
    'that no longer exists, is already compliant. No CloudBots bot does this; sg_rules_delete (every rule) remains ' +
    'for the default group (EC2.2).',
  remediates: {
    securityHub: ['EC2.13', 'EC2.14', 'EC2.53', 'EC2.54', 'CIS.4.1', 'CIS.4.2', 'PCI.EC2.5'],
    config: ['restricted-ssh'],
  },
  ports: ADMIN_PORTS,
  portsText: 'port 22 or 3389',
  withoutText: '22 and 3389',
});
