import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { clientConfig } from '../../test-support/clients.ts';
import { startTestEmulator } from '../../test-support/start-test-emulator.ts';
import { apigwClient, buildApi, deployFunction, TICKET_SOURCE } from './test-kit.ts';

/**
 * Measures the HTTP API data plane with the upload-ticket function behind it: warm latency of
 * sequential `POST /upload-url` requests (and of a direct Lambda Invoke, to show what the
 * gateway adds), and tickets per second with 16 concurrent clients.
 *
 *   npx tsx emulator/services/apigatewayv2/measure.ts [sequential=500] [concurrentSeconds=10]
 */
const SEQUENTIAL = Number(process.argv[2] ?? 500);
const SECONDS = Number(process.argv[3] ?? 10);
const CLIENTS = 16;
const ORIGIN = 'http://localhost:5173';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const summary = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
  return `p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms, mean ${mean.toFixed(2)} ms (n=${ms.length})`;
};

const emulator = await startTestEmulator();
try {
  const fn = await deployFunction(emulator.url, 'upload-ticket', TICKET_SOURCE, {
    environment: { UPLOAD_BUCKET: 'upload-lab-000000000000-us-east-1' },
  });
  const api = await buildApi(apigwClient(emulator.url), {
    functionArn: fn,
    routes: ['POST /upload-url'],
    cors: { AllowOrigins: [ORIGIN], AllowMethods: ['POST'], AllowHeaders: ['content-type'] },
  });
  const url = `${api.endpoint}/upload-url`;
  const ticket = async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ filename: 'cat.png' }),
    });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`ticket request answered ${res.status}: ${body}`);
  };
  for (let i = 0; i < 20; i++) await ticket();

  const viaApi: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const t = performance.now();
    await ticket();
    viaApi.push(performance.now() - t);
  }
  const lambda = new LambdaClient(clientConfig(emulator.url));
  const event = JSON.stringify({ version: '2.0', body: JSON.stringify({ filename: 'cat.png' }) });
  const direct: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const t = performance.now();
    await lambda.send(new InvokeCommand({ FunctionName: fn, Payload: event }));
    direct.push(performance.now() - t);
  }

  let done = 0;
  const started = performance.now();
  const until = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < until) {
        await ticket();
        done++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  console.log(`warm POST /upload-url via the HTTP API: ${summary(viaApi)}`);
  console.log(`warm Lambda Invoke of the same function: ${summary(direct)}`);
  console.log(
    `${CLIENTS} concurrent clients for ${elapsed.toFixed(1)} s: ${done} tickets, ${(done / elapsed).toFixed(0)} tickets/s`,
  );
} finally {
  await emulator.stop();
}
