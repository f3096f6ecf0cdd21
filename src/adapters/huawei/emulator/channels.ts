/**
 * The emulator's channels: CreateChannel (name rules, per-project uniqueness), ShowChannel,
 * ListChannels, UpdateChannel and DeleteChannel (refused while the channel has subscriptions).
 */
import { randomUUID } from 'node:crypto';
import {
  bad,
  checkDescription,
  EgError,
  getRow,
  type Handlers,
  type HuaweiEmulatorScope,
  NAME,
  now,
  page,
  requestBody,
  unique,
} from './common.js';

/** The channel operations over the current project's channels. */
export function channelHandlers(
  emu: HuaweiEmulatorScope,
): Pick<Handlers, 'CreateChannel' | 'ShowChannel' | 'ListChannels' | 'UpdateChannel' | 'DeleteChannel'> {
  return {
    CreateChannel: (_id, req) => {
      const b = requestBody(req);
      if (typeof b.name !== 'string' || !NAME.test(b.name) || b.name === 'default') {
        throw bad(
          'Bad request: name must be 1-128 letters, digits, periods, underscores or hyphens, start with a letter or digit, and not be default',
        );
      }
      checkDescription(b.description);
      unique(emu.channels, b.name);
      const row = {
        id: randomUUID(),
        name: b.name,
        description: b.description ?? '',
        provider_type: 'CUSTOM',
        enterprise_project_id: b.enterprise_project_id ?? '0',
        ...(typeof b.cross_account === 'boolean' ? { cross_account: b.cross_account } : {}),
        ...(b.policy && typeof b.policy === 'object' ? { policy: b.policy } : {}),
        created_time: now(),
        updated_time: now(),
      };
      emu.channels.set(row.id, row);
      return { status: 200, body: row };
    },
    ShowChannel: (id) => ({ status: 200, body: getRow(emu.channels, id, 'channel') }),
    ListChannels: (_id, _req, q) => page(q, [...emu.channels.values()]),
    UpdateChannel: (id, req) => {
      const row = getRow(emu.channels, id, 'channel');
      const b = requestBody(req);
      checkDescription(b.description);
      for (const k of ['description', 'enterprise_project_id', 'cross_account', 'policy'])
        if (b[k] !== undefined) row[k] = b[k];
      row.updated_time = now();
      return { status: 200, body: row };
    },
    // A channel with subscriptions is refused, as issue 27 reports of EventGrid. Neither the
    // DeleteChannel reference (204 or the generic 400/401/403/404/500) nor the part of the error
    // code table we could read documents this refusal or a code for it: the emulator answers 400
    // EG.00513000 ("invalid parameters", the table's parameter error), as it does for the target
    // connection_id it cannot resolve (subscriptions.ts).
    DeleteChannel: (id) => {
      const channel = getRow(emu.channels, id, 'channel');
      const subscriptions = [...emu.subscriptions.values()].filter((s) => s.channel_id === channel.id);
      if (subscriptions.length)
        throw new EgError(
          400,
          'EG.00513000',
          `invalid parameters: channel ${String(channel.name)} has ${subscriptions.length} subscription(s) (${subscriptions.map((s) => String(s.name)).join(', ')}); delete them first`,
        );
      emu.channels.delete(id!);
      return { status: 204 };
    },
  };
}
