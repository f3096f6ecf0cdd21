/**
 * The emulator's IAM side: the emulator-only user and access key, password login (Keystone token
 * issue), and each EventGrid request's authentication: AK/SK signature or X-Auth-Token, and project.
 */
import { randomUUID } from 'node:crypto';
import type { LoopbackRequest } from '../../../testing/loopback.js';
import {
  type HuaweiAccessKeyCredentials,
  huaweiCanonicalRequest,
  huaweiSignature,
  parseHuaweiAuthorization,
  parseHuaweiSdkDate,
  sameSignature,
} from '../auth.js';
import { EgError, requestBody } from './common.js';

/** The user `polybus demo` logs in as (an emulator-only identity). */
export const HUAWEI_EMULATOR_USER = {
  username: 'polybus-demo',
  password: 'polybus-emulator-password',
  domainName: 'polybus-demo-domain',
};
/** The access key pair `polybus emulate` prints (emulator-only values, not anyone's keys). */
export const HUAWEI_EMULATOR_ACCESS_KEY: HuaweiAccessKeyCredentials = {
  accessKey: 'POLYBUSEMULATORAK0001',
  secretKey: 'polybus-emulator-secret-key-not-a-real-one',
};
/** How far `X-Sdk-Date` may be from the emulator's clock (API Gateway allows 15 minutes). */
export const HUAWEI_MAX_CLOCK_SKEW_MS = 15 * 60_000;

/** API Gateway's 401 for IAM authentication failures (token or AK/SK), as the service answers. */
const iamAuthFailed = (detail: string) =>
  new EgError(401, 'APIGW.0301', `Incorrect IAM authentication information: ${detail}`);

/** Users, issued tokens and access keys of the emulator's account. */
export class HuaweiIam {
  readonly tokens = new Map<string, { expiresAt: number; projectId: string }>();

  constructor(
    private readonly users: { username: string; password: string; domainName: string }[],
    private readonly projectIds: Set<string>,
    private readonly tokenTtlMs: number,
    private readonly accessKeys: Map<string, HuaweiAccessKeyCredentials>,
    private readonly clock: () => number,
  ) {}

  /** Keystone password login (`POST /v3/auth/tokens`): a project-scoped token in X-Subject-Token. */
  login(req: LoopbackRequest): { status: number; body: unknown; headers: Record<string, string> } {
    const body = requestBody(req) as {
      auth?: {
        identity?: {
          methods?: string[];
          password?: { user?: { name?: string; password?: string; domain?: { name?: string } } };
        };
        scope?: { project?: { id?: string } };
      };
    };
    const user = body.auth?.identity?.password?.user;
    const match = this.users.find(
      (u) =>
        u.username === user?.name && u.password === user?.password && u.domainName === user?.domain?.name,
    );
    if (!body.auth?.identity?.methods?.includes('password') || !match) {
      throw new EgError(401, 'APIGW.0301', 'The username or password is incorrect.');
    }
    const projectId = body.auth.scope?.project?.id;
    if (projectId === undefined || !this.projectIds.has(projectId))
      throw new EgError(400, 'EG.00014000', 'Bad request: unknown project in scope');
    const token = `MIIemulator${randomUUID().replace(/-/g, '')}`;
    const expiresAt = Date.now() + this.tokenTtlMs;
    this.tokens.set(token, { expiresAt, projectId });
    return {
      status: 201,
      headers: { 'x-subject-token': token },
      body: {
        token: {
          expires_at: new Date(expiresAt).toISOString(),
          issued_at: new Date().toISOString(),
          methods: ['password'],
          project: { id: projectId },
        },
      },
    };
  }

  /** Authenticates an EventGrid request (AK/SK signature or X-Auth-Token) for the project in its path. */
  authorize(req: LoopbackRequest): void {
    const projectInPath = req.url.pathname.split('/')[2];
    const forbidden = () => new EgError(403, 'EG.00014030', 'No permissions to request this method');
    const authorization = req.headers.authorization;
    if (typeof authorization === 'string' && authorization.trim().startsWith('SDK-HMAC-SHA256')) {
      this.verifySignature(req, authorization);
      // Access keys belong to the account: the project comes from the path (and X-Project-Id).
      const headerProject = req.headers['x-project-id'];
      if (
        projectInPath === undefined ||
        !this.projectIds.has(projectInPath) ||
        (headerProject !== undefined && headerProject !== projectInPath)
      )
        throw forbidden();
      return;
    }
    const token = req.headers['x-auth-token'];
    const t = typeof token === 'string' ? this.tokens.get(token) : undefined;
    if (!t || t.expiresAt <= Date.now())
      throw new EgError(401, 'EG.00014010', 'Incorrect token or token resolution failed');
    if (projectInPath !== t.projectId) throw forbidden();
  }

  /**
   * Verifies an `SDK-HMAC-SHA256` signature as the service does: recomputes the canonical request
   * over exactly the SignedHeaders the request lists, with the SK of the named AK, and checks
   * `X-Sdk-Date` against the clock skew window and `X-Security-Token` for temporary keys.
   */
  private verifySignature(req: LoopbackRequest, authorization: string): void {
    const parsed = parseHuaweiAuthorization(authorization);
    if (!parsed) throw iamAuthFailed('malformed Authorization header');
    const key = this.accessKeys.get(parsed.accessKey);
    if (!key) throw iamAuthFailed(`ak ${parsed.accessKey} not exist`);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
    const sdkDate = headers['x-sdk-date'];
    const signedAt = sdkDate ? parseHuaweiSdkDate(sdkDate) : undefined;
    if (signedAt === undefined || !parsed.signedHeaders.includes('x-sdk-date'))
      throw iamAuthFailed('X-Sdk-Date is missing, unsigned or not in YYYYMMDDTHHmmssZ format');
    if (Math.abs(this.clock() - signedAt) > HUAWEI_MAX_CLOCK_SKEW_MS)
      throw iamAuthFailed(
        'the request time (X-Sdk-Date) differs from the server time by more than 15 minutes',
      );
    if (parsed.signedHeaders.some((h) => h !== h.toLowerCase() || headers[h] === undefined))
      throw iamAuthFailed('a signed header is missing from the request');
    if (key.securityToken !== undefined && headers['x-security-token'] !== key.securityToken)
      throw iamAuthFailed('the security token is missing or does not belong to this ak');
    const canonical = huaweiCanonicalRequest(
      { method: req.method, url: req.url, headers, body: req.body.toString('utf8') },
      parsed.signedHeaders,
    );
    if (!sameSignature(huaweiSignature(key.secretKey, sdkDate!, canonical), parsed.signature))
      throw iamAuthFailed('verify aksk signature fail');
  }
}
