// Must NOT compile: each line marked `expect-error` must be reported by tsc (checked by check-package).
import { createPolybus, type EventProvider } from 'polybus';
import { openHuaweiClient } from 'polybus/huawei';

export async function typos(provider: EventProvider) {
  await provider.buses.create({ nmae: 'x' }); // expect-error
  createPolybus({ providers: { tencent: { endPoint: 'http://127.0.0.1:1' } } }); // expect-error
  await openHuaweiClient().client.operate('ListChanels'); // expect-error
}
