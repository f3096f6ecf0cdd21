/**
 * EventBridge buses, native: CreateEventBus (partner buses through EventSourceName), Describe,
 * List, Update of the settings in place, Delete, and their tags through the EventBridge tag calls.
 */
import { z } from 'zod';
import { invalidArgument, type ValidationIssue } from '../../../core/model/errors.js';
import { issuesOf, parseInput } from '../../../core/runtime/parse.js';
import { assertMutable } from '../../../core/runtime/checks.js';
import { type ListOptions } from '../../../core/contract/calls.js';
import { mapAsync } from '../../../core/runtime/resources.js';
import { createWithLookup, readAfterWrite } from '../../../core/runtime/read-after-write.js';
import type { EventProvider } from '../../../core/contract/provider.js';
import { awsMutability } from '../capabilities.js';
import {
  AwsBusInput,
  AwsIntegrationInput,
  busFromAws,
  DOT_SEGMENT_RULE,
  hasDotSegment,
  partnerBusIssues,
} from '../mapping.js';
import { type AwsContext, checkId, P, sig } from './context.js';
import { retag } from './tags.js';

/** The CreateEventBus/UpdateEventBus settings of a validated bus input (EventSourceName aside). */
const busSettings = (input: {
  description?: string | undefined;
  extensions?: Record<string, Record<string, unknown>> | undefined;
}) => {
  const { KmsKeyIdentifier, DeadLetterConfig, LogConfig } = input.extensions?.aws ?? {};
  return {
    ...(input.description !== undefined ? { Description: input.description } : {}),
    ...(typeof KmsKeyIdentifier === 'string' ? { KmsKeyIdentifier } : {}),
    ...(DeadLetterConfig ? { DeadLetterConfig: DeadLetterConfig as { Arn: string } } : {}),
    ...(LogConfig
      ? {
          LogConfig: LogConfig as {
            IncludeDetail?: 'NONE' | 'FULL';
            Level?: 'OFF' | 'ERROR' | 'INFO' | 'TRACE';
          },
        }
      : {}),
  };
};

/** EventBusNameOrArn as EventBridge documents it (1-1600). */
const BusId = z
  .string()
  .max(1600, 'must be at most 1600 characters')
  .regex(
    /^(arn:aws[\w-]*:events:[a-z]+-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/)?[/.\-_A-Za-z0-9]+$/,
    'must be a bus name matching [/\\.\\-_A-Za-z0-9]+ or an event-bus ARN',
  )
  .refine((n) => !hasDotSegment(n), DOT_SEGMENT_RULE);

/** The issues of a bus input, before any request (`validateInput` of the bus kind). */
export function busInputIssues(input: Record<string, unknown>): ValidationIssue[] {
  return [
    ...issuesOf(AwsIntegrationInput.shape.bus, input.name).map((i) => ({ ...i, field: 'name' })),
    ...issuesOf(AwsBusInput.omit({ name: true }), input),
    ...partnerBusIssues(input as Parameters<typeof partnerBusIssues>[0]),
  ];
}

/** The buses API over EventBridge. */
export function createBuses(ctx: AwsContext): EventProvider['buses'] {
  const { client, wait } = ctx;

  const getBus = async (name: string, signal?: AbortSignal) => {
    const b = await client.describeEventBus(name, signal);
    return busFromAws(b, b.Arn ? await client.busTags(b.Arn, signal) : {});
  };

  const buses: EventProvider['buses'] = {
    async create(raw, o) {
      const input = parseInput(AwsBusInput, raw, P, 'buses.create');
      const partner = partnerBusIssues(input);
      if (partner.length) throw invalidArgument(P, 'buses.create', partner);
      const settings = busSettings(input);
      return createWithLookup(
        async () => {
          await client.createEventBus(
            {
              Name: input.name,
              ...settings,
              ...(typeof input.extensions?.aws?.EventSourceName === 'string'
                ? { EventSourceName: input.extensions.aws.EventSourceName }
                : {}),
            },
            input.tags,
            sig(o),
          );
          return readAfterWrite(
            () => getBus(input.name, sig(o)),
            () => ({ ...input, id: input.name, provider: P }),
            wait(o),
          );
        },
        () => getBus(input.name, sig(o)),
        wait(o),
      );
    },
    get: (id, o) => getBus(checkId(BusId, id, 'buses.get'), sig(o)),
    // ListEventBuses gives name, ARN and description, not tags or settings: each bus is read in
    // full, unless the caller asks for the summary (see `listOmits`).
    list: (o?: ListOptions) =>
      o?.summary
        ? mapAsync(client.eventBuses(o.pageSize, o.signal), (b) => busFromAws(b, {}))
        : mapAsync(client.eventBuses(o?.pageSize, o?.signal), (b) => getBus(b.Name ?? '', o?.signal)),
    async update(id, raw, o) {
      checkId(BusId, id, 'buses.update');
      assertMutable(P, 'bus', awsMutability, raw, 'buses.update');
      const patch = parseInput(
        AwsBusInput.pick({ tags: true, description: true, extensions: true }).partial(),
        raw,
        P,
        'buses.update',
      );
      const described = await client.describeEventBus(id, sig(o));
      if (patch.description !== undefined || patch.extensions?.aws !== undefined) {
        // UpdateEventBus replaces the bus's settings (a setting left out goes back to its default:
        // no KMS key of yours, no dead-letter queue, no logging), so the settings it keeps are sent
        // again, the patch's over them; a null in the patch clears that setting.
        const live = busFromAws(described, {});
        const settings = busSettings({
          description: patch.description ?? live.description,
          extensions: { aws: { ...live.extensions?.aws, ...patch.extensions?.aws } },
        });
        await client.updateEventBus({ Name: id, ...settings }, sig(o));
      }
      // UpdateEventBus leaves the tags and the ARN as they were: the read above serves both.
      if (patch.tags !== undefined && described.Arn)
        await retag(
          described.Arn,
          await client.busTags(described.Arn, sig(o)),
          patch.tags,
          client.tagBus.bind(client),
          client.untagBus.bind(client),
          sig(o),
        );
      return getBus(id, sig(o));
    },
    async delete(id, o) {
      await client.deleteEventBus(checkId(BusId, id, 'buses.delete'), sig(o));
    },
  };
  return buses;
}
