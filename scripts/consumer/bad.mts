// Must NOT compile: each line marked `expect-error` must be reported by tsc (checked by check-package).
import { type CloudEvent, createPolybus, type EventProvider, plan, resolveProvider } from 'polybus';
import { openHuaweiClient } from 'polybus/huawei';
import { openTencentClient } from 'polybus/tencent';

export async function typos(provider: EventProvider) {
  await provider.buses.create({ nmae: 'x' }); // expect-error
  createPolybus({ providers: { tencent: { endPoint: 'http://127.0.0.1:1' } } }); // expect-error
  await openHuaweiClient().client.operate('ListChanels'); // expect-error
  const polybus = createPolybus();
  await resolveProvider(polybus, 'tencnet'); // expect-error
  await plan({ version: 1, targets: [{ provider: 'tencnet' }] }); // expect-error
  const huawei = await resolveProvider(polybus, 'huawei');
  await huawei.buses.update('b', { tags: { team: 'shop' } }); // expect-error
  const aws = await resolveProvider(polybus, 'aws');
  await aws.sources.create({ name: 'x', bus: 'b' }); // expect-error
  const tencent = await resolveProvider(polybus, 'tencent');
  await tencent.buses.create({ name: 'b', extensions: { tencent: { EnableStor: true } } }); // expect-error
  const event: CloudEvent = { id: '1', source: 's', specversion: '1.0', type: 't', subjet: 'x' }; // expect-error
  await tencent.publish('b', [event]);
  await openTencentClient().send('ListEventBus'); // expect-error
}
