/**
 * Starts every bundled emulator on loopback and says how to point polybus at them (endpoint
 * variables plus the emulators' own test credentials, which are not secrets of anyone's).
 */
import {
  AWS_EMULATOR_CREDENTIALS,
  AWS_EMULATOR_CREDENTIALS_2,
  AwsEmulator,
} from '../adapters/aws/emulator/index.js';
import {
  HUAWEI_EMULATOR_ACCESS_KEY,
  HUAWEI_EMULATOR_PROJECT,
  HUAWEI_EMULATOR_PROJECT_2,
  HUAWEI_EMULATOR_USER,
  HuaweiEmulator,
} from '../adapters/huawei/emulator/index.js';
import { TENCENT_EMULATOR_CREDENTIALS, TencentEmulator } from '../adapters/tencent/emulator/index.js';

/** Running emulators. */
export interface RunningEmulators {
  endpoints: Record<string, string>;
  /** Environment that points the CLI and library defaults at the emulators. */
  env: Record<string, string>;
  /**
   * Variables for per-target credentials, beside `env`: a second AWS account's keys under the
   * prefix `POLYBUS_EMULATOR_2_` (for a target with `credentials: { envPrefix: POLYBUS_EMULATOR_2_ }`).
   */
  targetEnv: Record<string, string>;
  /** What per-target credentials need (second account, second project), one line each. */
  notes: string[];
  tencent: TencentEmulator;
  huawei: HuaweiEmulator;
  aws: AwsEmulator;
  close(): Promise<void>;
}

/** Starts all emulators on 127.0.0.1 with free ports. */
export async function startEmulators(): Promise<RunningEmulators> {
  const tencent = await TencentEmulator.start();
  const huawei = await HuaweiEmulator.start();
  const aws = await AwsEmulator.start();
  return {
    endpoints: { tencent: tencent.url, huawei: huawei.url, 'huawei-iam': huawei.url, aws: aws.url },
    env: {
      POLYBUS_TENCENT_ENDPOINT: tencent.url,
      TENCENTCLOUD_SECRET_ID: TENCENT_EMULATOR_CREDENTIALS.secretId,
      TENCENTCLOUD_SECRET_KEY: TENCENT_EMULATOR_CREDENTIALS.secretKey,
      TENCENTCLOUD_REGION: 'ap-guangzhou',
      POLYBUS_HUAWEI_ENDPOINT: huawei.url,
      POLYBUS_HUAWEI_IAM_ENDPOINT: huawei.url,
      HUAWEICLOUD_PROJECT_ID: HUAWEI_EMULATOR_PROJECT,
      HUAWEICLOUD_REGION: 'cn-north-4',
      HUAWEICLOUD_USERNAME: HUAWEI_EMULATOR_USER.username,
      HUAWEICLOUD_PASSWORD: HUAWEI_EMULATOR_USER.password,
      HUAWEICLOUD_DOMAIN_NAME: HUAWEI_EMULATOR_USER.domainName,
      // An access key pair takes precedence over the password login above.
      HUAWEICLOUD_SDK_AK: HUAWEI_EMULATOR_ACCESS_KEY.accessKey,
      HUAWEICLOUD_SDK_SK: HUAWEI_EMULATOR_ACCESS_KEY.secretKey,
      HUAWEICLOUD_SDK_PROJECT_ID: HUAWEI_EMULATOR_PROJECT,
      POLYBUS_AWS_ENDPOINT: aws.url,
      AWS_ACCESS_KEY_ID: AWS_EMULATOR_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: AWS_EMULATOR_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
    },
    targetEnv: {
      POLYBUS_EMULATOR_2_AWS_ACCESS_KEY_ID: AWS_EMULATOR_CREDENTIALS_2.accessKeyId,
      POLYBUS_EMULATOR_2_AWS_SECRET_ACCESS_KEY: AWS_EMULATOR_CREDENTIALS_2.secretAccessKey,
    },
    notes: [
      'Each emulator keeps its state per region (Tencent X-TC-Region, AWS the signing region, Huawei the project).',
      `A target with credentials: { envPrefix: P } reads P + each variable (PAWS_ACCESS_KEY_ID...): the POLYBUS_EMULATOR_2_ keys are a second AWS account (${AWS_EMULATOR_CREDENTIALS_2.account}).`,
      `Huawei projects: ${HUAWEI_EMULATOR_PROJECT} (default) and ${HUAWEI_EMULATOR_PROJECT_2}: give a second Huawei target options: { projectId: ${HUAWEI_EMULATOR_PROJECT_2} }.`,
      'Tencent: any region works with the same key; a credentials: { profile: NAME } target reads [NAME] of TENCENTCLOUD_CREDENTIALS_FILE (default ~/.tencentcloud/credentials).',
    ],
    tencent,
    huawei,
    aws,
    close: async () => {
      await Promise.all([tencent.close(), huawei.close(), aws.close()]);
    },
  };
}
