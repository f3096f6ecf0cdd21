// A strict `nodenext` consumer of the native escape hatch (issue 16): `polybus/tencent`,
// `polybus/huawei` and `polybus/aws` must type-check from the packed tarball (checked by check-package).
import { type AwsAction, AwsClient, openAwsClient } from 'polybus/aws';
import {
  HUAWEI_OPERATIONS,
  HuaweiClient,
  type HuaweiCredentials,
  type HuaweiOperation,
  openHuaweiClient,
} from 'polybus/huawei';
import {
  openTencentClient,
  TENCENT_ACTIONS,
  type TencentAction,
  TencentClient,
  type TencentCredentials,
  type TencentEventBus,
} from 'polybus/tencent';

export async function native(env: Record<string, string>): Promise<TencentEventBus[]> {
  const action: TencentAction = TENCENT_ACTIONS[0];
  const operation: HuaweiOperation = 'ListChannels';
  const command: AwsAction = 'ListEventIntegrations';
  const keys: TencentCredentials = { secretId: 'id', secretKey: 'key' };
  const huaweiKeys: HuaweiCredentials | undefined = undefined;
  void [action, HUAWEI_OPERATIONS[operation].path, keys, huaweiKeys];

  const tencent = openTencentClient({ env });
  const huawei = openHuaweiClient({ env });
  const aws = openAwsClient({ env });
  try {
    const clients: [TencentClient, HuaweiClient, AwsClient] = [tencent.client, huawei.client, aws.client];
    await clients[1].operate(operation, { limit: 1 });
    await clients[2].callNative(command, {});
    const { EventBuses } = await clients[0].listEventBuses({ Limit: 10 });
    return EventBuses ?? [];
  } finally {
    await Promise.all([tencent.close(), huawei.close(), aws.close()]);
  }
}
