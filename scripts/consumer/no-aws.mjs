// A Tencent-only user of the packed polybus, without the AWS SDK installed (an optional peer):
// Tencent works against its emulator, and AWS fails with one error naming the package to install.
import assert from 'node:assert/strict';
import { collect, createPolybus, resolveProvider } from 'polybus';
import { startEmulators } from 'polybus/emulators';

const emulators = await startEmulators({ providers: ['tencent'] });
try {
  const polybus = createPolybus({ env: emulators.env });
  const tencent = await resolveProvider(polybus, 'tencent');
  await tencent.buses.create({ name: 'orders' });
  assert.equal((await collect(tencent.buses.list())).length, 1);
  const err = await resolveProvider(polybus, 'aws').catch((e) => e);
  assert.equal(err.code, 'InvalidArgument', String(err));
  assert.match(err.message, /needs @aws-sdk\/client-\w+, which is not installed/);
  assert.match(err.message, /npm install @aws-sdk\/client-eventbridge @aws-sdk\/client-appintegrations/);
  await polybus.close();
} finally {
  await emulators.stop();
}
console.log('no-aws: ok (Tencent works; AWS names the packages to install)');
