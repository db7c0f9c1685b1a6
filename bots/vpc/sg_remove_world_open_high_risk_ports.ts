import { defineWorldOpenPortsBot } from './world-open-ports';

/**
 * The high-risk ports of Security Hub EC2.19 (the control's `blockedPorts`,
 * which AWS's remediation solution uses too): FTP, SSH, Telnet, SMTP, POP3,
 * RPC, IMAP, SMB, SQL Server, dev servers, MySQL, Postgres, Kibana, web
 * proxies, Elasticsearch.
 */
export const HIGH_RISK_PORTS = [
  20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300,
] as const;

export default defineWorldOpenPortsBot({
  name: 'sg_remove_world_open_high_risk_ports',
  summary: 'Remove only the inbound rules open to the world (0.0.0.0/0, ::/0) that reach a high-risk port (EC2.19)',
  description:
    `Revokes, by rule id, each inbound rule of the group whose source is 0.0.0.0/0 or ::/0 and whose TCP, UDP or all-protocol ` +
    `port range includes one of the ports Security Hub EC2.19 calls high-risk (${HIGH_RISK_PORTS.join(', ')}). Every other ` +
    'rule stays: rules from narrower CIDRs, security groups or prefix lists, other ports (80 and 443 among them), and all ' +
    'outbound rules. With split=true a wider TCP/UDP range is replaced by what is left of it without the high-risk ports, ' +
    'added before the wide rule is removed; an all-protocol rule is removed whole. Each change records the rules before and ' +
    'after it, and `cloudmend undo` puts them back. Same behaviour as sg_remove_world_open_admin_ports, over the longer list.',
  remediates: { securityHub: ['EC2.19'], config: ['restricted-common-ports'] },
  ports: HIGH_RISK_PORTS,
  portsText: 'a high-risk port',
  withoutText: 'the high-risk ports',
});
