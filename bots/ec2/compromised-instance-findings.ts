/**
 * GuardDuty finding types that say an instance is itself compromised (talking to
 * a command-and-control server, mining, exfiltrating, relaying), not merely
 * probed from outside: the findings to snapshot the instance on, for forensics,
 * and to isolate it. Probes (`Recon:*`, `UnauthorizedAccess:EC2/SSHBruteForce`)
 * are left to the operator's own mappings.
 */
export const COMPROMISED_INSTANCE_FINDINGS: readonly string[] = [
  'Backdoor:EC2/C&CActivity.B',
  'Backdoor:EC2/C&CActivity.B!DNS',
  'Backdoor:EC2/DenialOfService.Tcp',
  'Backdoor:EC2/Spambot',
  'CryptoCurrency:EC2/BitcoinTool.B',
  'CryptoCurrency:EC2/BitcoinTool.B!DNS',
  'Trojan:EC2/BlackholeTraffic',
  'Trojan:EC2/DropPoint',
  'Trojan:EC2/DNSDataExfiltration',
  'UnauthorizedAccess:EC2/MaliciousIPCaller.Custom',
  'UnauthorizedAccess:EC2/TorClient',
];
