// The official Huawei Node client (`@huaweicloud/huaweicloud-sdk-core`, AK/SK signing) pointed at
// an emulator, and one EventGrid call the way the generated EG client issues it. Tests only.
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient.js';
import { DefaultHttpClient } from '@huaweicloud/huaweicloud-sdk-core/http/DefaultHttpClient.js';
import { LogLevel, type Logger } from '@huaweicloud/huaweicloud-sdk-core/logger/index.js';

/**
 * The SDK's logger, quiet: its HTTP client logs every error answer at ERROR level ("Some error
 * found: ...") to stdout, and these tests provoke error answers on purpose. The failure itself
 * still reaches the test (it is thrown); only the log line goes. `ClientOptions.logger` is the
 * SDK's own hook for this (ClientBuilder does not pass one through, so the client is assembled as
 * ClientBuilder.build() does: the same options, User-Agent prefix, credential and endpoint).
 */
const QUIET: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/** An answer of the official client: the body and the HTTP status. */
export type OfficialAnswer = Record<string, unknown> & { httpStatusCode: number };
/** A failure of the official client. */
export type OfficialFailure = { httpStatusCode: number; errorCode: string; errorMsg: string };

/** The official client for `endpoint`, signing with `credentials` for `projectId`. */
export function officialHuaweiClient(
  endpoint: string,
  credentials: { accessKey: string; secretKey: string; securityToken?: string },
  projectId: string,
): HcClient {
  let cred = new BasicCredentials()
    .withAk(credentials.accessKey)
    .withSk(credentials.secretKey)
    .withProjectId(projectId);
  if (credentials.securityToken) cred = cred.withSecurityToken(credentials.securityToken);
  const http = new DefaultHttpClient(
    { disableSslVerification: true, headers: { 'User-Agent': 'huaweicloud-usdk-nodejs/3.0' }, logger: QUIET },
    [endpoint],
  );
  return new HcClient(http).withCredential(cred).withEndpoints([endpoint]);
}

/** One EventGrid call as the generated EG client issues it (URL template + path/query params). */
export function egCall(
  hc: HcClient,
  method: string,
  path: string,
  o: {
    pathParams?: Record<string, string>;
    query?: Record<string, unknown>;
    data?: Record<string, unknown>;
  } = {},
): Promise<OfficialAnswer> {
  return hc.sendRequest<OfficialAnswer>({
    method,
    url: `/v1/{project_id}${path}`,
    contentType: 'application/json',
    pathParams: o.pathParams ?? {},
    queryParams: o.query ?? {},
    headers: {},
    ...(o.data ? { data: o.data } : {}),
  });
}

/** The failure of a call expected to fail (a success fails the test). */
export const officialFailure = (p: Promise<unknown>): Promise<OfficialFailure> =>
  p.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (e: unknown) => e as OfficialFailure,
  );
