import { OWNER } from '../../emulator/services/s3/model/s3-model.ts';

/**
 * `s3tests.conf` for a local AWS on `port`. The main user is the account's root (`test`/`test`).
 * The local AWS has one account for now: the alt, tenant and IAM users' keys (`EXTRA_KEYS`) are
 * further root keys of that same account — the suite needs them to work (it empties their
 * buckets around every test) — so tests that expect a second account to be refused fail.
 */
/** The other users' keys, started as root keys of the one account. */
export const EXTRA_KEYS = {
  's3 alt': { accessKeyId: 'AKIAS3COMPATALT00001', secretAccessKey: 's3compat-alt-secret' },
  's3 tenant': { accessKeyId: 'AKIAS3COMPATTENANT01', secretAccessKey: 's3compat-tenant-secret' },
  iam: { accessKeyId: 'AKIAS3COMPATIAM00001', secretAccessKey: 's3compat-iam-secret' },
  'iam root': { accessKeyId: 'AKIAS3COMPATIAMROOT1', secretAccessKey: 's3compat-iam-root-secret' },
  'iam alt root': { accessKeyId: 'AKIAS3COMPATIAMALT01', secretAccessKey: 's3compat-iam-alt-secret' },
};

export function s3TestsConf(port: number): string {
  const user = (name: keyof typeof EXTRA_KEYS, id: string) =>
    [
      `[${name}]`,
      `display_name = ${name.replace(/\W/g, '')}`,
      `user_id = ${id}`,
      `email = ${name.replace(/\W/g, '')}@example.com`,
      `access_key = ${EXTRA_KEYS[name].accessKeyId}`,
      `secret_key = ${EXTRA_KEYS[name].secretAccessKey}`,
    ].join('\n');
  return [
    '[DEFAULT]',
    'host = 127.0.0.1',
    `port = ${port}`,
    'is_secure = False',
    'ssl_verify = False',
    '',
    '[fixtures]',
    'bucket prefix = s3compat-{random}-',
    'iam name prefix = s3compat-',
    'iam path prefix = /s3compat/',
    '',
    '[s3 main]',
    // S3 no longer returns owner display names; the canonical id is the account's.
    'display_name = ',
    `user_id = ${OWNER.ID}`,
    'email = main@example.com',
    'access_key = test',
    'secret_key = test',
    // S3 reports a KMS key as an ARN (§9.4); the suite compares the header with these as given.
    'kms_keyid = arn:aws:kms:us-east-1:000000000000:key/01234567-89ab-cdef-0123-456789abcdef',
    'kms_keyid2 = arn:aws:kms:us-east-1:000000000000:key/fedcba98-7654-3210-fedc-ba9876543210',
    '',
    user('s3 alt', 'alt-user-id'),
    user('s3 tenant', 'tenant-user-id') + '\ntenant = testx',
    user('iam', 'iam-user-id'),
    user('iam root', 'RGW11111111111111111'),
    user('iam alt root', 'RGW22222222222222222'),
    '',
  ].join('\n');
}

/**
 * A pytest plugin (written beside the config): the outcome of each test's own call, its
 * markers, and the last line of a failure, as JSON lines. It also lets the suite's clean-up
 * empty buckets by key where ListObjectVersions is not served (before versioning is merged). A teardown error (the suite empties
 * its buckets after every test) is noted but does not change a test's outcome.
 */
export const REPORT_PLUGIN = `
import json, os
from botocore.exceptions import ClientError
import s3tests.functional as _suite

# The suite empties its buckets around every test by listing object versions. Where the local
# AWS does not serve ListObjectVersions yet (NotImplemented), list the keys instead.
_list_versions = _suite.list_versions

def _keys_or_versions(client, bucket, batch_size):
    try:
        yield from _list_versions(client, bucket, batch_size)
        return
    except ClientError as e:
        if e.response['Error']['Code'] != 'NotImplemented':
            raise
    token = None
    while True:
        page = client.list_objects_v2(Bucket=bucket, MaxKeys=batch_size, **({'ContinuationToken': token} if token else {}))
        keys = [{'Key': o['Key']} for o in page.get('Contents', [])]
        if keys:
            yield keys
        token = page.get('NextContinuationToken')
        if not page.get('IsTruncated') or not token:
            return

_suite.list_versions = _keys_or_versions

_out = open(os.environ['S3COMPAT_REPORT'], 'a')
_markers = {}

def pytest_collection_modifyitems(session, config, items):
    for item in items:
        _markers[item.nodeid] = sorted({m.name for m in item.iter_markers()})

def _line(report):
    # The exception's own words (e.g. the S3 error code) beat the file:line pytest ends with.
    crash = getattr(getattr(report, 'longrepr', None), 'reprcrash', None)
    if crash is not None and getattr(crash, 'message', ''):
        return crash.message.splitlines()[0][:400]
    text = getattr(report, 'longreprtext', '') or ''
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return lines[-1][:400] if lines else ''

def pytest_runtest_logreport(report):
    if report.when == 'call' or (report.when == 'setup' and not report.passed):
        outcome = report.outcome
        if report.when == 'setup' and report.failed:
            outcome = 'error'
        _out.write(json.dumps({'id': report.nodeid, 'when': report.when, 'outcome': outcome,
                               'markers': _markers.get(report.nodeid, []), 'message': _line(report)}) + '\\n')
    elif report.when == 'teardown' and report.failed:
        _out.write(json.dumps({'id': report.nodeid, 'when': 'teardown', 'outcome': 'teardown-error',
                               'message': _line(report)}) + '\\n')
    _out.flush()
`;
