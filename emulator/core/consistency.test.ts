import { describe, expect, it } from 'vitest';
import { AWS_DELAYS_MS, Consistency, consistencyOptions } from './consistency.ts';
import { SettingHistory } from './setting-history.ts';

describe('--consistency', () => {
  it('is immediate by default: no delay, no history kept', () => {
    const c = new Consistency();
    expect(c.mode).toBe('immediate');
    expect(c.delayMs('rolePropagation')).toBe(0);
    const h = new SettingHistory<string>(c, 'bucketSetting');
    h.replaced('b', 'old', 1000);
    expect(h.inForce('b', 'new', 1000)).toBe('new');
  });

  it('scales the named delays of §11.5 in aws mode', () => {
    const c = new Consistency({ mode: 'aws', scale: 0.5 });
    expect(c.delayMs('rolePropagation')).toBe(AWS_DELAYS_MS.rolePropagation / 2);
    expect(c.delayMs('identityPolicy')).toBe(2000);
  });

  it('answers, as a function of the change times, the value that was current one delay ago', () => {
    const h = new SettingHistory<string>(new Consistency({ mode: 'aws' }), 'bucketSetting'); // 2000 ms
    h.replaced('b', 'v0', 10_000);
    h.replaced('b', 'v1', 11_000);
    expect(h.inForce('b', 'v2', 11_500)).toBe('v0');
    expect(h.pending('b', 11_500)).toBe(true);
    expect(h.inForce('b', 'v2', 12_000)).toBe('v1');
    expect(h.inForce('b', 'v2', 13_000)).toBe('v2');
    expect(h.pending('b', 13_000)).toBe(false);
    expect(h.inForce('other', 'x', 11_500)).toBe('x');
  });

  it('reads the flag values and refuses bad ones', () => {
    expect(consistencyOptions(undefined, undefined)).toEqual({ mode: 'immediate', scale: 1 });
    expect(consistencyOptions('aws', '0.2')).toEqual({ mode: 'aws', scale: 0.2 });
    expect(() => consistencyOptions('eventual', undefined)).toThrow(/immediate" or "aws/);
    expect(() => consistencyOptions('aws', '-1')).toThrow(/0 or more/);
  });
});
