import { Crc64Nvme as SdkCrc64Nvme } from '@aws-sdk/checksums/crc';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Crc64Nvme, crc64Nvme } from './crc64-nvme.ts';

async function sdk(bytes: Uint8Array): Promise<string> {
  const crc = new SdkCrc64Nvme();
  crc.update(bytes);
  return Buffer.from(await crc.digest()).toString('base64');
}

describe('CRC-64/NVME', () => {
  it('matches the value recorded against AWS and the check value of the algorithm', () => {
    expect(crc64Nvme(Buffer.from('test data..')).toString('base64')).toBe('qUVrWYOrIAM=');
    // The catalogue check value of CRC-64/NVME over "123456789".
    expect(crc64Nvme(Buffer.from('123456789')).toString('hex')).toBe('ae8b14860a799888');
    expect(crc64Nvme(Buffer.alloc(0)).toString('hex')).toBe('0000000000000000');
  });

  it("agrees with the AWS SDK's CRC64NVME for any bytes, however they are split", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.nat(2000), async (bytes, cut) => {
        const at = Math.min(cut, bytes.length);
        const split = new Crc64Nvme().update(bytes.subarray(0, at)).update(bytes.subarray(at)).digest();
        expect(split.toString('base64')).toBe(await sdk(bytes));
      }),
      { numRuns: 300 },
    );
  });
});
