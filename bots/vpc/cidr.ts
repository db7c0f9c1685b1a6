/**
 * CIDR blocks as the security group bots compare them: IPv4 and IPv6, parsed
 * to a number and a prefix length, so "lies within" is exact arithmetic rather
 * than string matching (10.1.2.0/24 lies within 10.0.0.0/8; ::/0 contains every
 * IPv6 block and no IPv4 one).
 */

export interface Cidr {
  family: 4 | 6;
  /** The network address with host bits cleared. */
  network: bigint;
  prefix: number;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(text) || text.split('::').length > 2) return undefined;
  const [head = '', tail] = text.split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const all = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  let value = 0n;
  for (const group of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

/** The block, or undefined when `text` is not `address/prefix` of either family. */
export function parseCidr(text: string): Cidr | undefined {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text.trim());
  if (!match) return undefined;
  const [, address = '', prefixText = ''] = match;
  const prefix = Number(prefixText);
  const family = address.includes(':') ? 6 : 4;
  const bits = family === 4 ? 32 : 128;
  if (prefix > bits) return undefined;
  const value = family === 4 ? parseIpv4(address) : parseIpv6(address);
  if (value === undefined) return undefined;
  const host = (1n << BigInt(bits - prefix)) - 1n;
  return { family, network: value & ~host, prefix };
}

export function isCidr(text: string): boolean {
  return parseCidr(text) !== undefined;
}

/** True when every address of `inner` is in `outer` (equal blocks included); blocks of different families never are. */
export function cidrWithin(inner: string, outer: string): boolean {
  const a = parseCidr(inner);
  const b = parseCidr(outer);
  if (!a || !b || a.family !== b.family || a.prefix < b.prefix) return false;
  const bits = a.family === 4 ? 32 : 128;
  const host = (1n << BigInt(bits - b.prefix)) - 1n;
  return (a.network & ~host) === b.network;
}

/** Same block, however written (`0.0.0.0/0` and `0.0.0.0/00`, `::/0` and `0::/0`). */
export function sameCidr(a: string, b: string): boolean {
  return cidrWithin(a, b) && cidrWithin(b, a);
}

/** The whole address space of either family: reachable from anywhere on the internet. */
export function isWorldOpen(cidr: string): boolean {
  const parsed = parseCidr(cidr);
  return parsed?.prefix === 0;
}
