/**
 * The emulator's custom event sources: CreateEventSource (on a custom channel, name rules,
 * per-project uniqueness), ShowEventSource, ListEventSources, UpdateEventSource, DeleteEventSource.
 */
import { randomUUID } from 'node:crypto';
import {
  bad,
  checkDescription,
  EgError,
  getRow,
  type Handlers,
  type HuaweiEmulatorScope,
  now,
  page,
  requestBody,
  unique,
} from './common.js';

// Custom source names: lowercase letters, digits, ., _, -; start with a letter or digit; not `hc.`.
const SOURCE_NAME = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/** The event source operations over the current project's sources. */
export function sourceHandlers(
  emu: HuaweiEmulatorScope,
): Pick<
  Handlers,
  'CreateEventSource' | 'ShowEventSource' | 'ListEventSources' | 'UpdateEventSource' | 'DeleteEventSource'
> {
  return {
    CreateEventSource: (_id, req) => {
      const b = requestBody(req);
      if (typeof b.name !== 'string' || !SOURCE_NAME.test(b.name) || b.name.startsWith('hc.')) {
        throw bad(
          'Bad request: name must be 1-128 lowercase letters, digits, periods, underscores or hyphens, start with a letter or digit, and not start with hc.',
        );
      }
      checkDescription(b.description);
      const channel = getRow(
        emu.channels,
        typeof b.channel_id === 'string' ? b.channel_id : undefined,
        'channel',
      );
      // "This API is used to create a custom event source, which must use a custom event channel."
      if (channel.provider_type !== 'CUSTOM')
        throw new EgError(
          400,
          'EG.00513005',
          'invalid channel: a custom event source needs a custom channel',
        );
      const type = b.type ?? 'APPLICATION';
      if (!['APPLICATION', 'RABBITMQ', 'ROCKETMQ'].includes(String(type)))
        throw bad('Bad request: type must be APPLICATION, RABBITMQ or ROCKETMQ');
      unique(emu.sources, b.name);
      const row = {
        id: randomUUID(),
        name: b.name,
        label: b.name,
        description: b.description ?? '',
        provider_type: 'CUSTOM',
        event_types: [],
        channel_id: channel.id,
        channel_name: channel.name,
        type,
        detail: b.detail ?? {},
        status: 'CREATED',
        created_time: now(),
        updated_time: now(),
      };
      emu.sources.set(row.id, row);
      return { status: 200, body: row };
    },
    ShowEventSource: (id) => ({ status: 200, body: getRow(emu.sources, id, 'source') }),
    ListEventSources: (_id, _req, q) => {
      const channel = q.get('channel_id');
      return page(
        q,
        [...emu.sources.values()].filter((s) => !channel || s.channel_id === channel),
      );
    },
    UpdateEventSource: (id, req) => {
      const row = getRow(emu.sources, id, 'source');
      const b = requestBody(req);
      checkDescription(b.description);
      if (b.description !== undefined) row.description = b.description;
      if (b.detail !== undefined) row.detail = b.detail;
      row.updated_time = now();
      return { status: 200, body: row };
    },
    DeleteEventSource: (id) => {
      getRow(emu.sources, id, 'source');
      emu.sources.delete(id!);
      return { status: 204 };
    },
  };
}
