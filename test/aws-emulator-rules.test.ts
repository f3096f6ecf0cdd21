// The AWS emulator's rules, targets, connections and API destinations against the EventBridge API
// model, driven by real botocore (the client boto3 and the AWS CLI use): botocore validates every
// request against its own service model before sending and parses every answer with it, and
// TestEventPattern's answers are the emulator evaluator's. Loopback only; skipped where Python
// botocore is absent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_EMULATOR_CREDENTIALS, AwsEmulator } from '../src/adapters/aws/emulator/index.js';
import { BOTOCORE_CLIENTS, botocoreAvailable, runBotocore } from './helpers/botocore.js';

const botocoreHere = await botocoreAvailable;

const ATTEMPT = `
import botocore.exceptions
def attempt(f):
    try:
        r = f()
        r.pop('ResponseMetadata', None)
        return {'ok': r}
    except botocore.exceptions.ClientError as e:
        return {'code': e.response['Error']['Code'], 'status': e.response['ResponseMetadata']['HTTPStatusCode']}
`;

describe.skipIf(!botocoreHere)(
  'AWS emulator rules and targets as EventBridge documents them (botocore)',
  () => {
    let emu: AwsEmulator;
    beforeAll(async () => {
      emu = await AwsEmulator.start();
    });
    afterAll(() => emu.close());
    const botocore = async <T>(script: string): Promise<T> =>
      JSON.parse(
        await runBotocore(BOTOCORE_CLIENTS + ATTEMPT + script, emu.url, AWS_EMULATOR_CREDENTIALS),
      ) as T;

    it('PutRule is an upsert answering RuleArn; DescribeRule, ListRules, Enable/DisableRule in place; DeleteRule refused while targets remain', async () => {
      const r = await botocore<Record<string, unknown>>(`
eb.create_event_bus(Name='orders')
p = json.dumps({'source': ['shop'], 'detail-type': [{'prefix': 'order.'}]})
a = eb.put_rule(Name='r1', EventBusName='orders', EventPattern=p, State='ENABLED', Description='d', Tags=[{'Key': 'team', 'Value': 'x'}])
b = eb.put_rule(Name='r1', EventBusName='orders', EventPattern=p, State='DISABLED', Description='d2')
d = eb.describe_rule(Name='r1', EventBusName='orders')
l = eb.list_rules(EventBusName='orders', NamePrefix='r')
eb.enable_rule(Name='r1', EventBusName='orders')
e = eb.describe_rule(Name='r1', EventBusName='orders')['State']
t = eb.put_targets(Rule='r1', EventBusName='orders', Targets=[{'Id': 'fn', 'Arn': 'arn:aws:lambda:us-east-1:123456789012:function:f', 'RetryPolicy': {'MaximumRetryAttempts': 3, 'MaximumEventAgeInSeconds': 60}}])
lt = eb.list_targets_by_rule(Rule='r1', EventBusName='orders')['Targets']
blocked = attempt(lambda: eb.delete_rule(Name='r1', EventBusName='orders'))
eb.remove_targets(Rule='r1', EventBusName='orders', Ids=['fn'])
gone = attempt(lambda: eb.delete_rule(Name='r1', EventBusName='orders'))
after = attempt(lambda: eb.describe_rule(Name='r1', EventBusName='orders'))
print(json.dumps({'arn': a['RuleArn'], 'same': a['RuleArn'] == b['RuleArn'], 'described': dict({k: d[k] for k in ('Name', 'State', 'Description', 'EventBusName')}, EventPattern=json.loads(d['EventPattern'])), 'listed': [x['Name'] for x in l['Rules']], 'enabled': e, 'failed': t['FailedEntryCount'], 'targets': lt, 'blocked': blocked, 'gone': gone, 'after': after}))
`);
      expect(r.arn).toBe('arn:aws:events:us-east-1:123456789012:rule/orders/r1');
      expect(r.same).toBe(true);
      expect(r.described).toEqual({
        Name: 'r1',
        State: 'DISABLED',
        Description: 'd2',
        EventBusName: 'orders',
        EventPattern: { source: ['shop'], 'detail-type': [{ prefix: 'order.' }] },
      });
      expect(r.listed).toEqual(['r1']);
      expect(r.enabled).toBe('ENABLED');
      expect(r.failed).toBe(0);
      expect(r.targets).toEqual([
        {
          Id: 'fn',
          Arn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 60 },
        },
      ]);
      expect(r.blocked).toEqual({ code: 'ValidationException', status: 400 });
      expect(r.gone).toEqual({ ok: {} });
      expect(r.after).toEqual({ code: 'ResourceNotFoundException', status: 400 });
    }, 60_000);

    it('PutTargets: a sixth target is LimitExceededException; one entry can fail alone with HTTP 200 (FailedEntries)', async () => {
      emu.failingTargets.add('t-bad');
      const r = await botocore<Record<string, unknown>>(`
eb.put_rule(Name='r5', EventPattern=json.dumps({'source': ['a']}))
arn = lambda i: 'arn:aws:lambda:us-east-1:123456789012:function:f' + str(i)
five = eb.put_targets(Rule='r5', Targets=[{'Id': 't' + str(i), 'Arn': arn(i)} for i in range(5)])
six = attempt(lambda: eb.put_targets(Rule='r5', Targets=[{'Id': 't5', 'Arn': arn(5)}]))
eb.remove_targets(Rule='r5', Ids=['t0', 't1'])
partial = eb.put_targets(Rule='r5', Targets=[{'Id': 't-ok', 'Arn': arn(7)}, {'Id': 't-bad', 'Arn': arn(8)}])
ids = sorted(t['Id'] for t in eb.list_targets_by_rule(Rule='r5')['Targets'])
print(json.dumps({'five': five['FailedEntryCount'], 'six': six, 'partial': {'count': partial['FailedEntryCount'], 'ids': [e['TargetId'] for e in partial['FailedEntries']]}, 'ids': ids}))
`);
      emu.failingTargets.clear();
      expect(r.five).toBe(0);
      expect(r.six).toEqual({ code: 'LimitExceededException', status: 400 });
      expect(r.partial).toEqual({ count: 1, ids: ['t-bad'] });
      expect(r.ids).toEqual(['t-ok', 't2', 't3', 't4']);
    }, 60_000);

    it('TestEventPattern answers the evaluator; an unknown operator is InvalidEventPatternException; a managed rule is never changed', async () => {
      emu.addManagedRule('default', 'managed', 'app-integrations.amazonaws.com', {
        source: ['aws.partner/x'],
      });
      const r = await botocore<Record<string, unknown>>(`
ev = lambda src, detail: json.dumps({'id': '1', 'account': '123456789012', 'source': src, 'time': '2026-01-01T00:00:00Z', 'region': 'us-east-1', 'resources': [], 'detail-type': 't', 'detail': detail})
pat = json.dumps({'$or': [{'detail': {'test': [{'exists': False}]}}, {'detail': {'test': [{'anything-but': 'yes'}]}}]})
absent = eb.test_event_pattern(EventPattern=pat, Event=ev('s', {}))['Result']
other = eb.test_event_pattern(EventPattern=pat, Event=ev('s', {'test': 'no'}))['Result']
yes = eb.test_event_pattern(EventPattern=pat, Event=ev('s', {'test': 'yes'}))['Result']
unknown = attempt(lambda: eb.test_event_pattern(EventPattern=json.dumps({'source': [{'startswith': 'a'}]}), Event=ev('s', {})))
put = attempt(lambda: eb.put_rule(Name='bad', EventPattern=json.dumps({'source': [{'startswith': 'a'}]})))
managed = attempt(lambda: eb.put_rule(Name='managed', EventPattern=json.dumps({'source': ['b']})))
disable = attempt(lambda: eb.disable_rule(Name='managed'))
print(json.dumps({'absent': absent, 'other': other, 'yes': yes, 'unknown': unknown, 'put': put, 'managed': managed, 'disable': disable}))
`);
      expect(r).toEqual({
        absent: true,
        other: true,
        yes: false,
        unknown: { code: 'InvalidEventPatternException', status: 400 },
        put: { code: 'InvalidEventPatternException', status: 400 },
        managed: { code: 'ManagedRuleException', status: 400 },
        disable: { code: 'ManagedRuleException', status: 400 },
      });
    }, 60_000);

    it('CreateConnection and CreateApiDestination: the connection never answers its secret', async () => {
      const r = await botocore<Record<string, unknown>>(`
c = eb.create_connection(Name='hook', AuthorizationType='API_KEY', AuthParameters={'ApiKeyAuthParameters': {'ApiKeyName': 'x-api-key', 'ApiKeyValue': 'SECRET-VALUE'}})
d = eb.create_api_destination(Name='hook-dest', ConnectionArn=c['ConnectionArn'], InvocationEndpoint='https://example.test/hook', HttpMethod='POST')
dc = eb.describe_connection(Name='hook')
dd = eb.describe_api_destination(Name='hook-dest')
inuse = attempt(lambda: eb.delete_connection(Name='hook'))
eb.delete_api_destination(Name='hook-dest')
deleted = attempt(lambda: eb.delete_connection(Name='hook'))
dc.pop('ResponseMetadata')
print(json.dumps({'connection': json.dumps(dc, default=str), 'state': dd['ApiDestinationState'], 'endpoint': dd['InvocationEndpoint'], 'inuse': inuse.get('code'), 'deleted': 'ok' in deleted}))
`);
      expect(r.connection).toContain('x-api-key');
      expect(r.connection).not.toContain('SECRET-VALUE');
      expect(r.state).toBe('ACTIVE');
      expect(r.endpoint).toBe('https://example.test/hook');
      expect(r.inuse).toBe('ValidationException');
      expect(r.deleted).toBe(true);
    }, 60_000);
  },
);
