// A Tencent-only program must type-check without the AWS SDK installed (checked by check-package
// before the optional peers are added, and again with them).
import { createPolybus, resolveProvider, type SpecInput } from 'polybus';
import { openTencentClient } from 'polybus/tencent';

export async function tencentOnly(env: Record<string, string>): Promise<number> {
  const tencent = await resolveProvider(createPolybus({ env }), 'tencent');
  await tencent.buses.create({ name: 'orders', extensions: { tencent: { EnableStore: true } } });
  const spec: SpecInput = { version: 1, targets: [{ provider: 'tencent' }] };
  const { send, close } = openTencentClient({ env });
  const out = await send('ListEventBuses', { Limit: 10 });
  await close();
  return spec.targets.length + Object.keys(out).length;
}
