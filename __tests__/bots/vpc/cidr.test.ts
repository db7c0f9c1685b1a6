import { cidrWithin, isCidr, isWorldOpen, parseCidr, sameCidr } from '../../../bots/vpc/cidr';
import { remainingRanges } from '../../../bots/vpc/security-group-rules';

describe('CIDR blocks', () => {
  it('accepts IPv4 and IPv6 blocks and nothing else', () => {
    expect(
      ['10.0.0.0/8', '0.0.0.0/0', '1.2.3.4/32', '::/0', '2001:db8::/32', 'fe80::1/128', '2001:db8:0:0:0:0:0:0/64'].filter(isCidr),
    ).toHaveLength(7);
    expect(
      ['10.0.0.0', '10.0.0.256/8', '10.0.0/8', '10.0.0.0/33', '::/129', '2001:db8:::/32', '1::2::3/64', 'any', '*'].filter(isCidr),
    ).toEqual([]);
  });

  it('clears host bits, so a block written with them is the same block', () => {
    expect(parseCidr('10.1.2.3/8')).toEqual({ family: 4, network: 10n << 24n, prefix: 8 });
    expect(sameCidr('10.1.2.3/8', '10.0.0.0/8')).toBe(true);
    expect(sameCidr('2001:0db8:0000::/32', '2001:db8::/32')).toBe(true);
  });

  it('says whether one block lies within another, never across families', () => {
    expect(cidrWithin('10.1.2.0/24', '10.0.0.0/8')).toBe(true);
    expect(cidrWithin('10.0.0.0/8', '10.0.0.0/8')).toBe(true);
    expect(cidrWithin('10.0.0.0/8', '10.1.0.0/16')).toBe(false);
    expect(cidrWithin('11.0.0.0/24', '10.0.0.0/8')).toBe(false);
    expect(cidrWithin('2001:db8:1::/48', '2001:db8::/32')).toBe(true);
    expect(cidrWithin('2001:db8:1::/48', '0.0.0.0/0')).toBe(false);
    expect(cidrWithin('10.0.0.0/8', '::/0')).toBe(false);
  });

  it('knows the world-open blocks of both families', () => {
    expect(['0.0.0.0/0', '::/0', '10.0.0.0/0', '0.0.0.0/1', '::/1'].map(isWorldOpen)).toEqual([true, true, true, false, false]);
  });

  it('cuts ports out of a range', () => {
    expect(remainingRanges(0, 1024, [22, 3389])).toEqual([
      [0, 21],
      [23, 1024],
    ]);
    expect(remainingRanges(22, 22, [22])).toEqual([]);
    expect(remainingRanges(22, 30, [22])).toEqual([[23, 30]]);
    expect(remainingRanges(20, 22, [22, 21])).toEqual([[20, 20]]);
    expect(remainingRanges(0, 65535, [22, 3389])).toEqual([
      [0, 21],
      [23, 3388],
      [3390, 65535],
    ]);
  });
});
