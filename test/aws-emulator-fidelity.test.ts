// AWS emulator against the documented EventBridge bus API (issues 26 and 27), driven by real
// botocore, the client boto3 and the AWS CLI use: DeleteEventBus of a missing bus, the timestamps
// of DescribeEventBus/ListEventBuses, UpdateEventBus setting what it is sent, a partner bus that names no partner event source, and bus
// name uniqueness. Loopback only; skipped where Python botocore is absent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_EMULATOR_CREDENTIALS, AwsEmulator } from '../src/adapters/aws/emulator/index.js';
import { BOTOCORE_CLIENTS, botocoreAvailable, runBotocore } from './helpers/botocore.js';

const botocoreHere = await botocoreAvailable;

/** Python: `attempt(f)` runs one call and answers its HTTP status and error code (or None). */
const ATTEMPT = `
import botocore.exceptions
def attempt(f):
    try:
        r = f()
        return {'status': r['ResponseMetadata']['HTTPStatusCode'], 'code': None}
    except botocore.exceptions.ClientError as e:
        return {'status': e.response['ResponseMetadata']['HTTPStatusCode'], 'code': e.response['Error']['Code']}
`;

describe.skipIf(!botocoreHere)('AWS emulator buses as EventBridge documents them (botocore)', () => {
  let emu: AwsEmulator;
  beforeAll(async () => {
    emu = await AwsEmulator.start();
  });
  afterAll(() => emu.close());
  const botocore = async <T>(script: string): Promise<T> =>
    JSON.parse(
      await runBotocore(BOTOCORE_CLIENTS + ATTEMPT + script, emu.url, AWS_EMULATOR_CREDENTIALS),
    ) as T;

  it('DeleteEventBus of a bus that does not exist answers 200 (no ResourceNotFoundException); the default bus stays undeletable', async () => {
    const r = await botocore<Record<string, { status: number; code: string | null }>>(`
eb.create_event_bus(Name='gone-bus')
first = attempt(lambda: eb.delete_event_bus(Name='gone-bus'))
again = attempt(lambda: eb.delete_event_bus(Name='gone-bus'))
never = attempt(lambda: eb.delete_event_bus(Name='never-created'))
default = attempt(lambda: eb.delete_event_bus(Name='default'))
print(json.dumps({'first': first, 'again': again, 'never': never, 'default': default}))
`);
    expect(r.first).toEqual({ status: 200, code: null });
    expect(r.again).toEqual({ status: 200, code: null });
    expect(r.never).toEqual({ status: 200, code: null });
    expect(r.default).toEqual({ status: 400, code: 'ValidationException' });
    expect(emu.buses.has('gone-bus')).toBe(false);
    expect(emu.buses.has('default')).toBe(true);
  }, 60_000);

  it('UpdateEventBus sets the settings as sent: one left out goes back to its default (no KMS key of yours, no dead-letter queue)', async () => {
    const r = await botocore<Record<string, string[]>>(`
eb.create_event_bus(Name='set-bus', Description='d1', KmsKeyIdentifier='alias/k1',
  DeadLetterConfig={'Arn': 'arn:aws:sqs:us-east-1:000000000000:dlq1'})
before = eb.describe_event_bus(Name='set-bus')
eb.update_event_bus(Name='set-bus', Description='d2', DeadLetterConfig={'Arn': 'arn:aws:sqs:us-east-1:000000000000:dlq1'})
after = eb.describe_event_bus(Name='set-bus')
keys = lambda b: sorted(k for k in ('Description', 'KmsKeyIdentifier', 'DeadLetterConfig', 'LogConfig') if k in b)
print(json.dumps({'before': keys(before), 'after': keys(after), 'description': [after['Description']]}))
`);
    expect(r.before).toEqual(['DeadLetterConfig', 'Description', 'KmsKeyIdentifier']);
    expect(r.after).toEqual(['DeadLetterConfig', 'Description']);
    expect(r.description).toEqual(['d2']);
  }, 60_000);

  it('DescribeEventBus and ListEventBuses carry CreationTime and LastModifiedTime, parsed by botocore as datetimes; UpdateEventBus moves only LastModifiedTime', async () => {
    const before = Date.now();
    const r = await botocore<{
      described: Record<string, string>;
      listed: Record<string, string>[];
      updated: Record<string, string>;
      types: string[];
    }>(`
import time
eb.create_event_bus(Name='timed-bus')
d = eb.describe_event_bus(Name='timed-bus')
l = eb.list_event_buses(NamePrefix='timed')['EventBuses']
time.sleep(0.05)
eb.update_event_bus(Name='timed-bus', Description='moved')
u = eb.describe_event_bus(Name='timed-bus')
iso = lambda b: {k: b[k].isoformat() for k in ('CreationTime', 'LastModifiedTime')}
types = sorted({type(b[k]).__name__ for b in [d, u] + l for k in ('CreationTime', 'LastModifiedTime')})
print(json.dumps({'described': iso(d), 'listed': [dict(iso(b), Name=b['Name']) for b in l], 'updated': iso(u), 'types': types}))
`);
    const after = Date.now();
    expect(r.types).toEqual(['datetime']);
    const ms = (iso: string) => Date.parse(iso);
    const created = ms(r.described.CreationTime!);
    expect(created).toBeGreaterThanOrEqual(before - 1000);
    expect(created).toBeLessThanOrEqual(after);
    expect(ms(r.described.LastModifiedTime!)).toBe(created);
    expect(r.listed).toEqual([{ Name: 'timed-bus', ...r.described }]);
    expect(ms(r.updated.CreationTime!)).toBe(created);
    expect(ms(r.updated.LastModifiedTime!)).toBeGreaterThan(created);
  }, 60_000);

  it('CreateEventBus with an EventSourceName that names no partner event source is ResourceNotFoundException; an offered source makes the partner bus', async () => {
    const partnerBus = (name: string) =>
      `attempt(lambda: eb.create_event_bus(Name='${name}', EventSourceName='${name}'))`;
    const none = await botocore<{ status: number; code: string | null }>(
      `print(json.dumps(${partnerBus('aws.partner/example.com/none')}))`,
    );
    expect(none).toEqual({ status: 400, code: 'ResourceNotFoundException' });
    emu.addPartnerEventSource('aws.partner/example.com/orders');
    const r = await botocore<Record<string, { status: number; code: string | null }>>(`
offered = ${partnerBus('aws.partner/example.com/orders')}
twice = ${partnerBus('aws.partner/example.com/orders')}
print(json.dumps({'offered': offered, 'twice': twice}))
`);
    expect(r.offered).toEqual({ status: 200, code: null });
    expect(r.twice).toEqual({ status: 400, code: 'ResourceAlreadyExistsException' });
    expect([...emu.buses.keys()]).toContain('aws.partner/example.com/orders');
    expect([...emu.buses.keys()]).not.toContain('aws.partner/example.com/none');
  }, 60_000);

  it('bus names are unique per account and region: a second CreateEventBus of a name is ResourceAlreadyExistsException', async () => {
    const r = await botocore<Record<string, { status: number; code: string | null }>>(`
first = attempt(lambda: eb.create_event_bus(Name='unique-bus'))
second = attempt(lambda: eb.create_event_bus(Name='unique-bus'))
other_region = attempt(lambda: s.create_client('events', **dict(kw, region_name='eu-west-1')).create_event_bus(Name='unique-bus'))
print(json.dumps({'first': first, 'second': second, 'other_region': other_region}))
`);
    expect(r.first).toEqual({ status: 200, code: null });
    expect(r.second).toEqual({ status: 400, code: 'ResourceAlreadyExistsException' });
    expect(r.other_region).toEqual({ status: 200, code: null });
  }, 60_000);
});
