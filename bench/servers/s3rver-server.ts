/**
 * s3rver 3.7.1, the peer Node S3 emulator, as a server under test: `node scripts/run.mjs
 * bench/servers/s3rver-server.ts DIR BUCKET`. Announces `{url}`. Note that s3rver does not verify a
 * POST form's policy or signature, so it does less work per upload than the local AWS.
 */
import { createRequire } from 'node:module';
import { announce, stopWith } from '../lib/child.ts';

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

const [dir, bucket] = process.argv.slice(2);
if (!dir || !bucket) throw new Error('usage: s3rver-server.ts DIR BUCKET');
// s3rver is CommonJS without types; a dev dependency used only here.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
const server = new S3rver({
  port: 0,
  address: '127.0.0.1',
  directory: dir,
  silent: true,
  configureBuckets: [{ name: bucket }],
});
const { port } = await server.run();
announce({ url: `http://127.0.0.1:${port}` });
stopWith(() => server.close());
