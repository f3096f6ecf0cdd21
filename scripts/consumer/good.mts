// A strict `nodenext` consumer of the packed polybus: must compile (checked by check-package).
import type { AdapterKitProbe } from './probe.mjs';
import {
  type Bus,
  createPolybus,
  type CreateBusInput,
  isPolybusError,
  type PolybusOptions,
  type ProviderName,
  type ProviderOptionsMap,
  resolveProvider,
} from 'polybus';
import type { TencentOptions } from 'polybus/tencent';
import { PolybusError as CorePolybusError } from 'polybus/core';
import { type Emulators, startEmulators } from 'polybus/emulators';

const tencent: TencentOptions = { region: 'ap-guangzhou' };
const huawei: ProviderOptionsMap['huawei'] = { projectId: 'p' };
const options: PolybusOptions = {
  providers: { tencent, huawei },
  credentials: { aws: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }) },
};
const name: ProviderName = 'tencent';

export async function run(): Promise<Bus> {
  const emulators: Emulators = await startEmulators({ providers: [name] });
  try {
    const provider = await resolveProvider(createPolybus({ ...options, env: emulators.env }), name);
    const input: CreateBusInput = { name: 'orders', retentionDays: 7 };
    return await provider.buses.create(input);
  } catch (err) {
    if (isPolybusError(err) || err instanceof CorePolybusError) console.error(err.code, err.retryable);
    throw err;
  } finally {
    await emulators.stop();
  }
}

export type Probe = AdapterKitProbe;
