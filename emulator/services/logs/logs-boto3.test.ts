import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBoto3, runPython } from '../../test-support/python.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';

/** boto3's `logs` client and its paginators against the local AWS, errors as botocore parses them. */
describe.skipIf(!hasBoto3)('CloudWatch Logs with boto3 (skipped: no /usr/bin/python3 with boto3)', () => {
  let emulator: TestEmulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.stop());

  it('creates groups and streams, puts events, and pages through them with the paginators', async () => {
    const script = `
import json, time, boto3
from botocore.exceptions import ClientError
logs = boto3.client("logs", endpoint_url="${emulator.url}", region_name="us-east-1",
                    aws_access_key_id="test", aws_secret_access_key="test")
for i in range(7):
    logs.create_log_group(logGroupName=f"/boto/g{i}")
logs.create_log_stream(logGroupName="/boto/g0", logStreamName="s")
now = int(time.time() * 1000)
for b in range(3):
    logs.put_log_events(logGroupName="/boto/g0", logStreamName="s",
        logEvents=[{"timestamp": now - 1000 + b * 10 + i, "message": f"m{b}-{i}"} for i in range(4)])
groups = [g["logGroupName"] for p in logs.get_paginator("describe_log_groups").paginate(PaginationConfig={"PageSize": 3}) for g in p["logGroups"]]
pages = [len(p["events"]) for p in logs.get_paginator("filter_log_events").paginate(logGroupName="/boto/g0", PaginationConfig={"PageSize": 5})]
msgs = [e["message"] for p in logs.get_paginator("filter_log_events").paginate(logGroupName="/boto/g0", filterPattern="?m0 ?m2", PaginationConfig={"PageSize": 5}) for e in p["events"]]
for i, name in enumerate(["e", "c", "a", "d", "b"]):
    logs.create_log_stream(logGroupName="/boto/g1", logStreamName=name)
    logs.put_log_events(logGroupName="/boto/g1", logStreamName=name, logEvents=[{"timestamp": now - 500 + i, "message": name}])
by_name = [s["logStreamName"] for p in logs.get_paginator("describe_log_streams").paginate(logGroupName="/boto/g1", PaginationConfig={"PageSize": 2}) for s in p["logStreams"]]
by_time = [s["logStreamName"] for p in logs.get_paginator("describe_log_streams").paginate(logGroupName="/boto/g1", orderBy="LastEventTime", descending=True, PaginationConfig={"PageSize": 2}) for s in p["logStreams"]]
by_prefix = [e["message"] for e in logs.filter_log_events(logGroupName="/boto/g1", logStreamNamePrefix="d")["events"]]
head = logs.get_log_events(logGroupName="/boto/g0", logStreamName="s", startFromHead=True, limit=3)
try:
    logs.create_log_group(logGroupName="/boto/g0")
    exists = None
except ClientError as e:
    exists = [e.response["Error"]["Code"], e.response["Error"]["Message"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
try:
    logs.get_log_events(logGroupName="/boto/none", logStreamName="s")
    missing = None
except logs.exceptions.ResourceNotFoundException as e:
    missing = e.response["Error"]["Message"]
print(json.dumps({"by_name": by_name, "by_time": by_time, "by_prefix": by_prefix, "groups": groups, "pages": pages, "msgs": msgs, "head": [e["message"] for e in head["events"]], "exists": exists, "missing": missing}))
`;
    const out = await runPython(script);
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual({
      by_name: ['a', 'b', 'c', 'd', 'e'],
      by_time: ['b', 'd', 'a', 'c', 'e'],
      by_prefix: ['d'],
      groups: [0, 1, 2, 3, 4, 5, 6].map((i) => `/boto/g${i}`),
      pages: [5, 5, 2],
      msgs: ['m0-0', 'm0-1', 'm0-2', 'm0-3', 'm2-0', 'm2-1', 'm2-2', 'm2-3'],
      head: ['m0-0', 'm0-1', 'm0-2'],
      exists: ['ResourceAlreadyExistsException', 'The specified log group already exists', 400],
      missing: 'The specified log group does not exist.',
    });
  });
});
