/**
 * Neutral targets + delivery <-> EventBridge rule targets (PutTargets entries), exact or refused:
 * `function` -> a Lambda function ARN, `log` -> a CloudWatch Logs log group ARN, `http` -> an API
 * destination polybus keeps for the target (endpoint = the url, through the EventBridge connection
 * the target names, invoked with the role in `extensions.aws.RoleArn`), `kafka` refused (a rule
 * has no Kafka target). `retry.maxAttempts` -> `RetryPolicy.MaximumRetryAttempts` (0-185);
 * `transform` -> `InputPath` or `InputTransformer`. Nothing is invented: where AWS needs a value
 * the spec does not give, the reason says "needs input" and names the field that gives it.
 */
import {
  accepted,
  type Delivery,
  refused,
  type Target,
  type Transform,
  type Translation,
} from '../../core/model/routing.js';

/** A target's `Id` (API Reference: 1-64 of `[\.\-_A-Za-z0-9]`). */
export const TARGET_ID = /^[.\-_A-Za-z0-9]{1,64}$/;
/** Targets per rule (EventBridge quotas: 5). */
export const AWS_MAX_TARGETS = 5;
/** `RetryPolicy.MaximumRetryAttempts` range (API Reference, RetryPolicy). */
export const MAX_RETRY_ATTEMPTS = 185;

const LAMBDA_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/;
const LOG_GROUP_ARN = /^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:[.\-_/#A-Za-z0-9]{1,512}(:\*)?$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const CONNECTION_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;

/** The documented writable fields of `extensions.aws` on a target. */
export const AWS_TARGET_EXTENSIONS = ['RoleArn', 'MaximumEventAgeInSeconds', 'DeadLetterConfig'] as const;

/** A PutTargets entry as polybus writes it; `http` carries what its API destination needs. */
export interface AwsTargetEntry {
  Id: string;
  /** The function or log group ARN; for `http`, filled in with the API destination's ARN at apply. */
  Arn: string;
  RoleArn?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap: Record<string, string>; InputTemplate: string };
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  DeadLetterConfig?: { Arn: string };
  /** For an http target: the API destination to keep (not sent in PutTargets). */
  http?: { url: string; connection: string };
}

/** The default target id of position `i` (read back without a name). */
export const defaultTargetId = (i: number) => `target-${i + 1}`;

/** A neutral JSONPath of the CloudEvent -> the same value's path in the EventBridge event. */
function eventBridgePath(path: string): string | undefined {
  if (path === '$.data') return '$.detail';
  if (path.startsWith('$.data.')) return `$.detail.${path.slice(7)}`;
  if (path === '$.source') return '$.source';
  if (path === '$.type') return '$.detail-type';
  if (path === '$.subject') return '$.resources[0]';
  return undefined;
}

/** The neutral transform as InputPath / InputTransformer, or why it has none. */
function inputOf(
  t: Transform | undefined,
): Translation<Pick<AwsTargetEntry, 'InputPath' | 'InputTransformer'>> {
  if (!t || t.kind === 'event') return accepted({});
  if (t.kind === 'path') {
    const p = eventBridgePath(t.path);
    return p
      ? accepted({ InputPath: p })
      : refused(
          `transform path ${t.path} has no place in the EventBridge event (only $.data..., $.source, $.type, $.subject map: publish's mapping)`,
        );
  }
  if (/[<>]/.test(t.template))
    return refused(
      'transform template: < and > delimit InputTransformer placeholders; a template holding them cannot be said exactly',
    );
  const map: Record<string, string> = {};
  let problem: string | undefined;
  const template = t.template.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    const v = t.variables?.[name];
    if (v === undefined) {
      problem = `transform template names \${${name}}, which variables does not define`;
      return whole;
    }
    if (!v.startsWith('$')) {
      if (/[<>]/.test(v))
        problem = `transform variable ${name}: a constant holding < or > cannot be said exactly`;
      return v;
    }
    const p = eventBridgePath(v);
    if (!p) problem = `transform variable ${name}: ${v} has no place in the EventBridge event`;
    else map[name] = p;
    return `<${name}>`;
  });
  if (problem) return refused(problem);
  if (Object.keys(map).length > 100)
    return refused('InputTransformer takes at most 100 InputPathsMap entries');
  return accepted({ InputTransformer: { InputPathsMap: map, InputTemplate: template } });
}

/** Neutral targets + delivery -> PutTargets entries, or every reason they cannot be said. */
export function awsTargetsFromNeutral(targets: Target[], delivery?: Delivery): Translation<AwsTargetEntry[]> {
  const reasons: string[] = [];
  if (targets.length > AWS_MAX_TARGETS)
    reasons.push(
      `aws allows at most ${AWS_MAX_TARGETS} targets per rule (EventBridge quotas: 5 targets per rule); got ${targets.length}`,
    );
  const retry = delivery?.retry;
  if (retry && retry.maxAttempts > MAX_RETRY_ATTEMPTS)
    reasons.push(
      `retry.maxAttempts must be 0-${MAX_RETRY_ATTEMPTS} (RetryPolicy.MaximumRetryAttempts); got ${retry.maxAttempts}`,
    );
  if (retry && (retry.delaySeconds !== undefined || (retry.backoff && retry.backoff !== 'exponential')))
    reasons.push(
      "EventBridge retry: the schedule is the service's (exponential backoff with jitter); backoff and delaySeconds cannot be set",
    );
  if (delivery?.deadLetter)
    reasons.push(
      'EventBridge dead letter: DeadLetterConfig is an SQS queue, not a Kafka topic; give it per target in extensions.aws.DeadLetterConfig { Arn }',
    );
  const ids = new Set<string>();
  const out: AwsTargetEntry[] = [];
  targets.forEach((t, i) => {
    const at = `targets.${i}`;
    const Id = t.name ?? defaultTargetId(i);
    if (!TARGET_ID.test(Id))
      return void reasons.push(
        `${at}: name ${JSON.stringify(Id)} is the target Id: 1-64 characters of letters, digits, . - _`,
      );
    if (ids.has(Id)) return void reasons.push(`${at}: target Id ${Id} is used twice in the rule`);
    ids.add(Id);
    const ext = (t.extensions?.aws ?? {}) as Record<string, unknown>;
    const unknown = Object.keys(ext).filter((k) => !(AWS_TARGET_EXTENSIONS as readonly string[]).includes(k));
    if (unknown.length)
      return void reasons.push(
        `${at}: unknown aws target extension ${unknown.join(', ')}: the documented writable fields are ${AWS_TARGET_EXTENSIONS.join(', ')}`,
      );
    const input = inputOf(t.transform);
    if (!input.ok) return void reasons.push(...input.reasons.map((r) => `${at}: ${r}`));
    const entry: AwsTargetEntry = { Id, Arn: '', ...input.native };
    if (t.kind === 'kafka')
      return void reasons.push(
        `${at}: EventBridge has no Kafka target on a rule (EventBridge Pipes reads from Kafka; it does not write to it)`,
      );
    if (t.kind === 'function') {
      if (!LAMBDA_ARN.test(t.function))
        return void reasons.push(
          `${at}: a function target on AWS is a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME); got ${JSON.stringify(t.function)}`,
        );
      entry.Arn = t.function;
    } else if (t.kind === 'log') {
      if (!LOG_GROUP_ARN.test(t.log))
        return void reasons.push(
          `${at}: a log target on AWS is a CloudWatch Logs log group ARN (arn:aws:logs:REGION:ACCOUNT:log-group:NAME); got ${JSON.stringify(t.log)}`,
        );
      entry.Arn = t.log;
    } else {
      if (!t.url.startsWith('https://') && !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(t.url))
        return void reasons.push(`${at}: an API destination's InvocationEndpoint must be https`);
      if (!t.connection || !CONNECTION_NAME.test(t.connection))
        return void reasons.push(
          `${at}: needs input: connection, the name of the EventBridge connection whose authorization (BASIC, API_KEY or OAUTH_CLIENT_CREDENTIALS) the API destination uses; polybus does not invent one`,
        );
      if (typeof ext.RoleArn !== 'string')
        return void reasons.push(
          `${at}: needs input: extensions.aws.RoleArn, the IAM role EventBridge assumes to invoke the API destination (events:InvokeApiDestination); polybus does not invent one`,
        );
      entry.http = { url: t.url, connection: t.connection };
    }
    if (ext.RoleArn !== undefined) {
      if (typeof ext.RoleArn !== 'string' || !ROLE_ARN.test(ext.RoleArn))
        return void reasons.push(
          `${at}: extensions.aws.RoleArn must be an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)`,
        );
      entry.RoleArn = ext.RoleArn;
    }
    const age = ext.MaximumEventAgeInSeconds;
    if (age !== undefined && (typeof age !== 'number' || !Number.isInteger(age) || age < 60 || age > 86400))
      return void reasons.push(
        `${at}: extensions.aws.MaximumEventAgeInSeconds must be 60-86400 (RetryPolicy)`,
      );
    if (retry || age !== undefined)
      entry.RetryPolicy = {
        ...(retry ? { MaximumRetryAttempts: retry.maxAttempts } : {}),
        ...(typeof age === 'number' ? { MaximumEventAgeInSeconds: age } : {}),
      };
    const dl = ext.DeadLetterConfig as { Arn?: unknown } | undefined;
    if (dl !== undefined) {
      if (typeof dl?.Arn !== 'string' || !/^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[\w-]{1,80}$/.test(dl.Arn))
        return void reasons.push(`${at}: extensions.aws.DeadLetterConfig.Arn must be an SQS queue ARN`);
      entry.DeadLetterConfig = { Arn: dl.Arn };
    }
    out.push(entry);
  });
  return reasons.length ? refused(...reasons) : accepted(out);
}

/** A ListTargetsByRule row (the fields read). */
export interface AwsTargetRow {
  Id?: string;
  Arn?: string;
  RoleArn?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate?: string };
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  DeadLetterConfig?: { Arn?: string };
  [native: string]: unknown;
}

const NEUTRAL_PATH: Record<string, string> = {
  '$.detail': '$.data',
  '$.source': '$.source',
  '$.detail-type': '$.type',
  '$.resources[0]': '$.subject',
};
const neutralPath = (p: string) =>
  NEUTRAL_PATH[p] ?? (p.startsWith('$.detail.') ? `$.data.${p.slice(9)}` : undefined);

/** The neutral transform of a row, or null when it has no neutral reading. */
function transformOf(r: AwsTargetRow): Transform | undefined | null {
  if (r.InputPath !== undefined) {
    const p = neutralPath(r.InputPath);
    return p ? { kind: 'path', path: p } : null;
  }
  const x = r.InputTransformer;
  if (!x) return r.Input !== undefined ? null : undefined;
  const variables: Record<string, string> = {};
  for (const [k, v] of Object.entries(x.InputPathsMap ?? {})) {
    const p = neutralPath(v);
    if (!p) return null;
    variables[k] = p;
  }
  const template = String(x.InputTemplate ?? '').replace(/<([^<>]+)>/g, (_m, k: string) => `\${${k}}`);
  return { kind: 'template', template, ...(Object.keys(variables).length ? { variables } : {}) };
}

/**
 * ListTargetsByRule rows -> neutral targets and delivery. `http` rows come with their API
 * destination (endpoint and connection name) read by the caller. Rows with no neutral reading
 * come back in `leftovers` for `extensions.aws.Targets`.
 */
export function awsTargetsToNeutral(
  rows: AwsTargetRow[],
  destinations: ReadonlyMap<string, { url: string; connection: string }>,
): { targets: Target[]; delivery?: Delivery; leftovers: AwsTargetRow[] } {
  const targets: Target[] = [];
  const leftovers: AwsTargetRow[] = [];
  let retry: number | undefined;
  rows.forEach((r) => {
    const arn = String(r.Arn ?? '');
    const transform = transformOf(r);
    const i = targets.length;
    const name = r.Id === defaultTargetId(i) ? {} : { name: String(r.Id) };
    const ext: Record<string, unknown> = {
      ...(r.RoleArn ? { RoleArn: r.RoleArn } : {}),
      ...(r.RetryPolicy?.MaximumEventAgeInSeconds !== undefined
        ? { MaximumEventAgeInSeconds: r.RetryPolicy.MaximumEventAgeInSeconds }
        : {}),
      ...(r.DeadLetterConfig?.Arn ? { DeadLetterConfig: { Arn: r.DeadLetterConfig.Arn } } : {}),
    };
    const common = {
      ...name,
      ...(transform ? { transform } : {}),
      ...(Object.keys(ext).length ? { extensions: { aws: ext } } : {}),
    };
    const dest = destinations.get(arn);
    let t: Target | undefined;
    if (transform === null) t = undefined;
    else if (LAMBDA_ARN.test(arn)) t = { kind: 'function', function: arn, ...common };
    else if (LOG_GROUP_ARN.test(arn)) t = { kind: 'log', log: arn, ...common };
    else if (dest) t = { kind: 'http', url: dest.url, connection: dest.connection, ...common };
    if (!t) return void leftovers.push(r);
    targets.push(t);
    if (r.RetryPolicy?.MaximumRetryAttempts !== undefined) retry = r.RetryPolicy.MaximumRetryAttempts;
  });
  return retry !== undefined
    ? { targets, delivery: { retry: { maxAttempts: retry } }, leftovers }
    : { targets, leftovers };
}
