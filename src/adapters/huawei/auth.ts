/**
 * Huawei Cloud IAM tokens for EventGrid: an explicit token, or password login
 * (`POST /v3/auth/tokens`, token in the `X-Subject-Token` header) cached until shortly before it
 * expires. Passwords and tokens are registered for redaction and never logged.
 */
import { z } from 'zod';
import { PolybusError } from '../../core/errors.js';
import { parseResponse } from '../../core/model.js';
import { registerSecret } from '../../core/redact.js';
import type { Transport } from '../../core/transport.js';

/** Either a ready token, or IAM password credentials. */
export type HuaweiCredentials =
  { token: string } | { username: string; password: string; domainName: string };

/** Reads `HUAWEICLOUD_AUTH_TOKEN`, else `HUAWEICLOUD_USERNAME` / `HUAWEICLOUD_PASSWORD` / `HUAWEICLOUD_DOMAIN_NAME`. */
export function huaweiCredentialsFromEnv(env: Record<string, string | undefined>): HuaweiCredentials {
  if (env.HUAWEICLOUD_AUTH_TOKEN) {
    registerSecret(env.HUAWEICLOUD_AUTH_TOKEN);
    return { token: env.HUAWEICLOUD_AUTH_TOKEN };
  }
  const {
    HUAWEICLOUD_USERNAME: username,
    HUAWEICLOUD_PASSWORD: password,
    HUAWEICLOUD_DOMAIN_NAME: domainName,
  } = env;
  if (username && password && domainName) {
    registerSecret(password);
    return { username, password, domainName };
  }
  throw new PolybusError({
    code: 'AuthenticationFailed',
    provider: 'huawei',
    operation: 'credentials',
    message:
      'no Huawei Cloud credentials: set HUAWEICLOUD_AUTH_TOKEN, or HUAWEICLOUD_USERNAME, HUAWEICLOUD_PASSWORD and HUAWEICLOUD_DOMAIN_NAME',
  });
}

/** The IAM password-login body, scoped to one project. */
export function iamPasswordBody(
  c: { username: string; password: string; domainName: string },
  projectId: string,
) {
  return {
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: c.username, password: c.password, domain: { name: c.domainName } } },
      },
      scope: { project: { id: projectId } },
    },
  };
}

const TokenBody = z.object({ token: z.looseObject({ expires_at: z.string() }) });

/** Refresh this long before the token's `expires_at`. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** Options of {@link HuaweiTokenProvider}. */
export interface HuaweiTokenOptions {
  transport: Transport;
  credentials: () => Promise<HuaweiCredentials>;
  /** IAM origin, e.g. `https://iam.cn-north-4.myhuaweicloud.com`. */
  iamEndpoint: string;
  projectId: string;
}

/** Hands out a valid token, logging in and caching as needed. */
export class HuaweiTokenProvider {
  private cached?: { token: string; expiresAt: number; refreshable: boolean };
  private pending?: Promise<{ token: string; expiresAt: number; refreshable: boolean }>;

  constructor(private readonly options: HuaweiTokenOptions) {}

  /** A token valid for at least a few more minutes. */
  async token(signal?: AbortSignal): Promise<string> {
    const now = this.options.transport.clock.now();
    if (this.cached && this.cached.expiresAt - REFRESH_MARGIN_MS > now) return this.cached.token;
    this.pending ??= this.fetch(signal).finally(() => {
      this.pending = undefined;
    });
    this.cached = await this.pending;
    return this.cached.token;
  }

  /**
   * Drops `token` after a 401 so that the next call logs in again. Returns false when the token
   * came from the caller and cannot be refreshed.
   */
  invalidate(token: string): boolean {
    if (this.cached?.token !== token) return this.cached?.refreshable ?? true;
    const refreshable = this.cached.refreshable;
    if (refreshable) this.cached = undefined;
    return refreshable;
  }

  private async fetch(signal?: AbortSignal) {
    const creds = await this.options.credentials();
    if ('token' in creds) {
      registerSecret(creds.token);
      return { token: creds.token, expiresAt: Number.POSITIVE_INFINITY, refreshable: false };
    }
    registerSecret(creds.password);
    return this.options.transport.execute(
      {
        provider: 'huawei',
        operation: 'KeystoneCreateUserTokenByPassword',
        method: 'POST',
        url: `${this.options.iamEndpoint}/v3/auth/tokens`,
        headers: { 'content-type': 'application/json;charset=utf8' },
        body: JSON.stringify(iamPasswordBody(creds, this.options.projectId)),
        ...(signal ? { signal } : {}),
      },
      (res) => {
        const requestId = res.headers['x-request-id'];
        const ctx = {
          provider: 'huawei',
          operation: 'KeystoneCreateUserTokenByPassword',
          httpStatus: res.status,
          ...(requestId ? { requestId } : {}),
        };
        if (res.status === 429 || res.status >= 500) {
          throw new PolybusError({
            ...ctx,
            code: res.status === 429 ? 'Throttled' : 'Unavailable',
            message: `IAM answered HTTP ${res.status}`,
          });
        }
        const token = res.headers['x-subject-token'];
        if (res.status !== 201 && res.status !== 200) {
          throw new PolybusError({
            ...ctx,
            code: res.status === 403 ? 'PermissionDenied' : 'AuthenticationFailed',
            message: `IAM password login failed with HTTP ${res.status}`,
          });
        }
        if (!token)
          throw new PolybusError({
            ...ctx,
            code: 'Internal',
            message: 'IAM response has no X-Subject-Token header',
          });
        registerSecret(token);
        let body: unknown;
        try {
          body = JSON.parse(res.body);
        } catch {
          body = undefined;
        }
        const parsed = parseResponse(TokenBody, body, ctx);
        return { token, expiresAt: Date.parse(parsed.token.expires_at), refreshable: true };
      },
    );
  }
}
