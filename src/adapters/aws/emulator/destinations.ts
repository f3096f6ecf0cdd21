/**
 * EventBridge connections and API destinations on the emulator (JSON 1.1): CreateConnection,
 * DescribeConnection (secrets never answered), ListConnections, DeleteConnection,
 * CreateApiDestination, DescribeApiDestination, ListApiDestinations, DeleteApiDestination, as the
 * EventBridge API Reference describes them. The emulator delivers to an API destination over
 * loopback only (see events.ts).
 */
import { AwsError, ebInvalid } from './errors.js';
import { epochSeconds, type AwsScopeState } from './state.js';
import type { EmulatedApiDestination, EmulatedConnection } from './state.js';
export type { EmulatedApiDestination, EmulatedConnection };

/** Names of connections and API destinations (API Reference: 1-64, `[\.\-_A-Za-z0-9]+`). */
const NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const AUTH_TYPES = ['BASIC', 'OAUTH_CLIENT_CREDENTIALS', 'API_KEY'];
const METHODS = ['POST', 'GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE'];

function name(v: unknown): string {
  if (typeof v !== 'string' || !NAME.test(v))
    throw ebInvalid('Name must be 1-64 characters of letters, digits, . - and _.');
  return v;
}

/** The parameters of `AuthorizationType` that must be there (API Reference, CreateConnection). */
function authProblem(type: string, p: Record<string, unknown>): string | undefined {
  const need: Record<string, [string, string[]]> = {
    BASIC: ['BasicAuthParameters', ['Username', 'Password']],
    API_KEY: ['ApiKeyAuthParameters', ['ApiKeyName', 'ApiKeyValue']],
    OAUTH_CLIENT_CREDENTIALS: ['OAuthParameters', ['AuthorizationEndpoint', 'HttpMethod']],
  };
  const [field, keys] = need[type]!;
  const inner = p[field] as Record<string, unknown> | undefined;
  const missing = keys.filter((k) => typeof inner?.[k] !== 'string' || inner[k] === '');
  return missing.length ? `AuthParameters.${field} needs ${missing.join(', ')}` : undefined;
}

/** CreateConnection. */
export function createConnection(s: AwsScopeState, b: Record<string, unknown>) {
  const n = name(b.Name);
  if (s.connections.has(n))
    throw new AwsError('ResourceAlreadyExistsException', `Connection ${n} already exists.`, 400);
  const type = String(b.AuthorizationType);
  if (!AUTH_TYPES.includes(type))
    throw ebInvalid(`AuthorizationType must be one of ${AUTH_TYPES.join(', ')}.`);
  const params = (b.AuthParameters ?? {}) as Record<string, unknown>;
  const problem = authProblem(type, params);
  if (problem) throw ebInvalid(problem);
  const now = epochSeconds();
  const c: EmulatedConnection = {
    Name: n,
    ConnectionArn: `arn:aws:events:${s.region}:${s.account}:connection/${n}/${crypto.randomUUID()}`,
    AuthorizationType: type,
    AuthParameters: params,
    ...(typeof b.Description === 'string' ? { Description: b.Description } : {}),
    ConnectionState: 'AUTHORIZED',
    CreationTime: now,
    LastModifiedTime: now,
  };
  s.connections.set(n, c);
  return {
    ConnectionArn: c.ConnectionArn,
    ConnectionState: c.ConnectionState,
    CreationTime: now,
    LastModifiedTime: now,
  };
}

/** The answer of DescribeConnection: the names of the secret-holding parameters, never their values. */
function publicConnection(c: EmulatedConnection) {
  const { AuthParameters, ...rest } = c;
  const basic = AuthParameters.BasicAuthParameters as { Username?: string } | undefined;
  const key = AuthParameters.ApiKeyAuthParameters as { ApiKeyName?: string } | undefined;
  return {
    ...rest,
    AuthParameters: {
      ...(basic ? { BasicAuthParameters: { Username: basic.Username } } : {}),
      ...(key ? { ApiKeyAuthParameters: { ApiKeyName: key.ApiKeyName } } : {}),
    },
  };
}

function findConnection(s: AwsScopeState, n: unknown): EmulatedConnection {
  const c = s.connections.get(String(n));
  if (!c)
    throw new AwsError(
      'ResourceNotFoundException',
      `Failed to describe the connection(s). Connection '${String(n)}' does not exist.`,
      400,
    );
  return c;
}

export const describeConnection = (s: AwsScopeState, b: Record<string, unknown>) =>
  publicConnection(findConnection(s, b.Name));

export const listConnections = (s: AwsScopeState, b: Record<string, unknown>) => ({
  Connections: [...s.connections.values()]
    .filter((c) => typeof b.NamePrefix !== 'string' || c.Name.startsWith(b.NamePrefix))
    .map(({ AuthParameters: _a, ...rest }) => rest),
});

/** DeleteConnection: refused while an API destination uses it. */
export function deleteConnection(s: AwsScopeState, b: Record<string, unknown>) {
  const c = findConnection(s, b.Name);
  const user = [...s.apiDestinations.values()].find((d) => d.ConnectionArn === c.ConnectionArn);
  if (user) throw ebInvalid(`Connection ${c.Name} is used by API destination ${user.Name}.`);
  s.connections.delete(c.Name);
  return { ConnectionArn: c.ConnectionArn, ConnectionState: 'DELETING' };
}

/** The connection of an ARN, if any (the delivery reads its authorization). */
export const connectionByArn = (s: AwsScopeState, arn: string) =>
  [...s.connections.values()].find((c) => c.ConnectionArn === arn);

/** CreateApiDestination. */
export function createApiDestination(s: AwsScopeState, b: Record<string, unknown>) {
  const n = name(b.Name);
  if (s.apiDestinations.has(n))
    throw new AwsError('ResourceAlreadyExistsException', `API destination ${n} already exists.`, 400);
  if (typeof b.ConnectionArn !== 'string' || !connectionByArn(s, b.ConnectionArn))
    throw new AwsError(
      'ResourceNotFoundException',
      `Connection ${String(b.ConnectionArn)} does not exist.`,
      400,
    );
  const endpoint = String(b.InvocationEndpoint ?? '');
  // The API requires https; the emulator also takes http on loopback, where its deliveries go.
  if (!/^https:\/\//.test(endpoint) && !/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(endpoint))
    throw ebInvalid('InvocationEndpoint must be an https URL.');
  if (!METHODS.includes(String(b.HttpMethod)))
    throw ebInvalid(`HttpMethod must be one of ${METHODS.join(', ')}.`);
  const rate = b.InvocationRateLimitPerSecond;
  if (rate !== undefined && (typeof rate !== 'number' || rate < 1))
    throw ebInvalid('InvocationRateLimitPerSecond must be 1 or more.');
  const now = epochSeconds();
  const d: EmulatedApiDestination = {
    Name: n,
    ApiDestinationArn: `arn:aws:events:${s.region}:${s.account}:api-destination/${n}/${crypto.randomUUID()}`,
    ConnectionArn: b.ConnectionArn,
    InvocationEndpoint: endpoint,
    HttpMethod: String(b.HttpMethod),
    ...(typeof rate === 'number' ? { InvocationRateLimitPerSecond: rate } : {}),
    ...(typeof b.Description === 'string' ? { Description: b.Description } : {}),
    ApiDestinationState: 'ACTIVE',
    CreationTime: now,
    LastModifiedTime: now,
  };
  s.apiDestinations.set(n, d);
  return {
    ApiDestinationArn: d.ApiDestinationArn,
    ApiDestinationState: 'ACTIVE',
    CreationTime: now,
    LastModifiedTime: now,
  };
}

function findDestination(s: AwsScopeState, n: unknown): EmulatedApiDestination {
  const d = s.apiDestinations.get(String(n));
  if (!d)
    throw new AwsError('ResourceNotFoundException', `API destination ${String(n)} does not exist.`, 400);
  return d;
}

export const describeApiDestination = (s: AwsScopeState, b: Record<string, unknown>) =>
  findDestination(s, b.Name);
export const listApiDestinations = (s: AwsScopeState, b: Record<string, unknown>) => ({
  ApiDestinations: [...s.apiDestinations.values()].filter(
    (d) => typeof b.NamePrefix !== 'string' || d.Name.startsWith(b.NamePrefix),
  ),
});
/** UpdateApiDestination: endpoint, connection, method and rate in place. */
export function updateApiDestination(s: AwsScopeState, b: Record<string, unknown>) {
  const d = findDestination(s, b.Name);
  if (b.ConnectionArn !== undefined) {
    if (typeof b.ConnectionArn !== 'string' || !connectionByArn(s, b.ConnectionArn))
      throw new AwsError(
        'ResourceNotFoundException',
        `Connection ${String(b.ConnectionArn)} does not exist.`,
        400,
      );
    d.ConnectionArn = b.ConnectionArn;
  }
  if (typeof b.InvocationEndpoint === 'string') d.InvocationEndpoint = b.InvocationEndpoint;
  if (typeof b.HttpMethod === 'string') d.HttpMethod = b.HttpMethod;
  d.LastModifiedTime = epochSeconds();
  return { ApiDestinationArn: d.ApiDestinationArn, ApiDestinationState: d.ApiDestinationState };
}

export function deleteApiDestination(s: AwsScopeState, b: Record<string, unknown>) {
  s.apiDestinations.delete(findDestination(s, b.Name).Name);
  return {};
}

/** The API destination of an ARN, if any. */
export const apiDestinationByArn = (s: AwsScopeState, arn: string) =>
  [...s.apiDestinations.values()].find((d) => d.ApiDestinationArn === arn);
