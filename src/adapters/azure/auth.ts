/**
 * Microsoft Entra ID client credentials: the credentials (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`,
 * `AZURE_CLIENT_SECRET`, as `@azure/identity`'s EnvironmentCredential reads them, or given in
 * code), and a token per scope from `POST {authorityHost}/{tenant}/oauth2/v2.0/token`, cached
 * until shortly before it expires and fetched once for concurrent callers. The client secret and
 * every token are registered for redaction and never appear in output, errors or logs.
 */
import { z } from 'zod';
import { invalidArgument, PolybusError } from '../../core/model/errors.js';
import { parseResponse } from '../../core/runtime/parse.js';
import { registerSecret } from '../../core/runtime/redact.js';
import type { Transport } from '../../core/runtime/transport.js';
import { mapAzureError } from './errors.js';
import { checkedTenant } from './options.js';

/** A service principal's client credentials. */
export interface AzureCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

/** The scopes polybus asks tokens for. */
export const AZURE_SCOPES = {
  arm: 'https://management.azure.com/.default',
  eventgrid: 'https://eventgrid.azure.net/.default',
} as const;

/** Refresh this long before a token's expiry. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** The credentials from the conventional environment; every one of the three is required. */
export function azureCredentialsFromEnv(env: Record<string, string | undefined>): AzureCredentials {
  const names = ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET'] as const;
  const missing = names.filter((n) => !env[n]);
  if (missing.length)
    throw new PolybusError({
      code: 'AuthenticationFailed',
      provider: 'azure',
      operation: 'credentials',
      message: `Azure credentials: ${missing.join(', ')} not set (client credentials need AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET)`,
    });
  registerSecret(env.AZURE_CLIENT_SECRET);
  return {
    tenantId: env.AZURE_TENANT_ID!,
    clientId: env.AZURE_CLIENT_ID!,
    clientSecret: env.AZURE_CLIENT_SECRET!,
  };
}

const TokenBody = z.object({
  token_type: z.string(),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/)]),
  access_token: z.string().min(1),
});

interface Cached {
  token: string;
  expiresAt: number;
}

/** Options of {@link AzureTokenProvider}. */
export interface AzureTokenOptions {
  transport: Transport;
  /** Entra ID origin (`https://login.microsoftonline.com`). */
  authorityHost: string;
  credentials: () => Promise<AzureCredentials>;
}

/** Tokens per scope, cached until they expire. */
export class AzureTokenProvider {
  private readonly cached = new Map<string, Cached>();
  private readonly pending = new Map<string, Promise<Cached>>();

  constructor(private readonly o: AzureTokenOptions) {}

  /** A valid token for `scope` (cached, or fetched once for every concurrent caller). */
  async token(scope: string, signal?: AbortSignal): Promise<string> {
    const c = this.cached.get(scope);
    if (c && c.expiresAt - REFRESH_MARGIN_MS > this.o.transport.clock.now()) return c.token;
    let p = this.pending.get(scope);
    if (!p) {
      p = this.fetch(scope, signal).finally(() => this.pending.delete(scope));
      this.pending.set(scope, p);
    }
    const fresh = await p;
    this.cached.set(scope, fresh);
    return fresh.token;
  }

  /** Forgets `token` (after a 401); true when it was the cached one, so a retry may help. */
  invalidate(scope: string, token: string): boolean {
    if (this.cached.get(scope)?.token !== token) return false;
    this.cached.delete(scope);
    return true;
  }

  private async fetch(scope: string, signal?: AbortSignal): Promise<Cached> {
    const creds = await this.o.credentials();
    for (const [k, v] of Object.entries(creds))
      if (typeof v !== 'string' || !v)
        throw invalidArgument('azure', 'credentials', [{ field: k, rule: 'required: a non-empty string' }]);
    registerSecret(creds.clientSecret);
    const tenant = checkedTenant(creds.tenantId, 'credentials.tenantId');
    const body = new URLSearchParams({
      client_id: creds.clientId,
      client_secret: creds.clientSecret,
      scope,
      grant_type: 'client_credentials',
    }).toString();
    const started = this.o.transport.clock.now();
    return this.o.transport.execute(
      {
        provider: 'azure',
        operation: 'Token',
        method: 'POST',
        url: `${this.o.authorityHost}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
        ...(signal ? { signal } : {}),
      },
      (res) => {
        const requestId = res.headers['x-ms-request-id'];
        if (res.status !== 200)
          throw mapAzureError({
            status: res.status,
            body: res.body,
            operation: 'Token',
            ...(requestId ? { requestId } : {}),
          });
        let json: unknown;
        try {
          json = JSON.parse(res.body);
        } catch {
          json = undefined;
        }
        const t = parseResponse(TokenBody, json, {
          provider: 'azure',
          operation: 'Token',
          httpStatus: res.status,
        });
        registerSecret(t.access_token);
        return { token: t.access_token, expiresAt: started + Number(t.expires_in) * 1000 };
      },
    );
  }
}
