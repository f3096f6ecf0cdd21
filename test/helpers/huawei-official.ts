// The official Huawei Node client (`@huaweicloud/huaweicloud-sdk-core`, AK/SK signing) pointed at
// an emulator, and one EventGrid call the way the generated EG client issues it. Tests only.
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { ClientBuilder } from '@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js';
import type { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient.js';

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
  return new ClientBuilder((hc: HcClient) => hc).withEndpoint(endpoint).withCredential(cred).build();
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
