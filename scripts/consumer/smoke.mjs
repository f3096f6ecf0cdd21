// ESM smoke test of the packed polybus: every entry imports, options are checked at run time, and
// a provider round-trips against the bundled emulator. Exits non-zero on any failure.
import assert from 'node:assert/strict';
import * as root from 'polybus';
import * as kit from 'polybus/adapter-kit';
import * as core from 'polybus/core';
import { startEmulators } from 'polybus/emulators';
import * as tencentEntry from 'polybus/tencent';
import * as huaweiEntry from 'polybus/huawei';
import * as awsEntry from 'polybus/aws';

assert.equal(typeof root.createPolybus, 'function');
assert.equal(core.PolybusError, root.PolybusError);
assert.equal(typeof kit.parseResponse, 'function');
assert.equal('parseResponse' in root, false, 'adapter helpers stay out of the root entry');
assert.equal(typeof tencentEntry.openTencentClient, 'function');
assert.ok(huaweiEntry.HUAWEI_OPERATION_NAMES.includes('ListChannels'));
assert.ok(awsEntry.AWS_ACTIONS.includes('ListEventIntegrations'));
assert.equal('openTencentClient' in root, false, 'native clients stay out of the root entry');

assert.throws(
  () => root.createPolybus({ providers: { tencent: { endPoint: 'http://127.0.0.1:1' } } }),
  (err) => root.isPolybusError(err) && err.code === 'InvalidArgument' && /endPoint/.test(err.message),
);
const unknown = await root.resolveProvider(root.createPolybus({ env: {} }), 'azure').catch((e) => e);
assert.equal(unknown.code, 'InvalidArgument');

const emulators = await startEmulators({ providers: ['tencent'] });
try {
  const tencent = await root.resolveProvider(root.createPolybus({ env: emulators.env }), 'tencent');
  const bus = await tencent.buses.create({ name: 'orders' });
  assert.deepEqual(
    (await root.collect(tencent.buses.list())).map((b) => b.id),
    [bus.id],
  );
  await tencent.close();
  const { client, close } = tencentEntry.openTencentClient({ env: emulators.env });
  assert.equal((await client.listEventBuses({})).TotalCount, 1, 'polybus/tencent reaches the same emulator');
  await close();
} finally {
  await emulators.stop();
}
console.log('esm: ok');
