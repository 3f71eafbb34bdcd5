import type { FileHandle } from 'node:fs/promises';
import { HEADER_BYTES, intact, payloadLength, type RecordSpan } from './log-format.ts';

const BLOCK = 4 * 1024 * 1024;

/**
 * Reads an append log from the start and hands every intact record's payload to `onRecord`, in
 * order (a view into a read buffer: copy what you keep). Stops at the first record that is cut
 * short, has a wrong magic or length, or fails its CRC (what a crash mid-append leaves); returns
 * where the intact records end.
 */
export async function readRecords(
  handle: FileHandle,
  onRecord: (payload: Buffer, span: RecordSpan) => void,
): Promise<number> {
  let buffer = Buffer.alloc(0);
  /** File offset of `buffer[0]`. */
  let base = 0;
  let eof = false;
  const fill = async (need: number): Promise<boolean> => {
    while (buffer.length < need && !eof) {
      const chunk = Buffer.allocUnsafe(Math.max(BLOCK, need - buffer.length));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, base + buffer.length);
      if (bytesRead === 0) eof = true;
      buffer = Buffer.concat([buffer, chunk.subarray(0, bytesRead)]);
    }
    return buffer.length >= need;
  };
  for (;;) {
    if (!(await fill(HEADER_BYTES))) return base;
    const header = buffer.subarray(0, HEADER_BYTES);
    const length = payloadLength(header);
    if (length === undefined || !(await fill(HEADER_BYTES + length))) return base;
    const payload = buffer.subarray(HEADER_BYTES, HEADER_BYTES + length);
    if (!intact(buffer.subarray(0, HEADER_BYTES), payload)) return base;
    onRecord(payload, { offset: base, length: HEADER_BYTES + length });
    buffer = buffer.subarray(HEADER_BYTES + length);
    base += HEADER_BYTES + length;
  }
}
