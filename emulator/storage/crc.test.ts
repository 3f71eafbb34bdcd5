import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Crc32c, crc32c } from './crc32c.ts';
import { Crc64Nvme, crc64Nvme as crc64nvme } from './crc64-nvme.ts';

describe('CRC64NVME and CRC32C', () => {
  it('match the published check values and the values S3 recorded', () => {
    expect(crc64nvme(Buffer.from('123456789')).toString('hex')).toBe('ae8b14860a799888');
    // §9.2 / §9.5 [REC + CALC]
    expect(crc64nvme(Buffer.from('aaa')).toString('base64')).toBe('Rnr2/5P7Gsk=');
    expect(crc64nvme(Buffer.from('test data..')).toString('base64')).toBe('qUVrWYOrIAM=');
    expect(crc64nvme(Buffer.alloc(0)).toString('hex')).toBe('0000000000000000');
    expect(crc32c(Buffer.from('123456789')).toString('hex')).toBe('e3069283');
  });

  it('give the same value whatever the chunking and alignment', () => {
    const data = randomBytes(100_003);
    const whole64 = crc64nvme(data);
    const whole32 = crc32c(data);
    for (const cut of [1, 3, 7, 8, 13, 4096]) {
      const h64 = new Crc64Nvme();
      const h32 = new Crc32c();
      for (let i = 0; i < data.length; i += cut) {
        h64.update(data.subarray(i, i + cut));
        h32.update(data.subarray(i, i + cut));
      }
      expect(h64.digest().equals(whole64), `crc64 cut ${cut}`).toBe(true);
      expect(h32.digest().equals(whole32), `crc32c cut ${cut}`).toBe(true);
    }
    expect(crc64nvme(data.subarray(1)).equals(crc64nvme(Buffer.from(data.subarray(1))))).toBe(true);
  });
});
