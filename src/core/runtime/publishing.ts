/**
 * Publishing helpers the adapters share: refusing what a provider cannot carry, batching, resending
 * only the entries that failed, and the report for an event there is nothing to read of.
 */
import { type TraceReport } from '../contract/publish.js';
import { type CloudEvent, extensionsOf, isJsonContentType, type PublishFailure } from '../model/events.js';

/** A neutral event member a provider cannot carry: the field and why. */
export interface MemberRefusal {
  ok: false;
  field: string;
  message: string;
}

/**
 * The refusal of an event's first extension attribute where the provider has no field for
 * extensions (`why` says so in the provider's words), or undefined when it has none.
 */
export function extensionRefusal(event: CloudEvent, why: string): MemberRefusal | undefined {
  const ext = extensionsOf(event)[0];
  return ext === undefined ? undefined : { ok: false, field: ext, message: `extension ${ext}: ${why}` };
}

/**
 * The first member of `event` a provider cannot carry, with the provider's reason, or undefined:
 * an extension attribute (`why.extensions`), `dataschema` (when `why.dataschema` is given),
 * `data_base64` (when `why.binaryData` or `why.nonJsonData` is given), then a `datacontenttype`
 * that is not JSON (when `why.nonJsonData` is given). One order for every adapter.
 */
export function memberRefusal(
  event: CloudEvent,
  why: { extensions: string; dataschema?: string; binaryData?: string; nonJsonData?: string },
): MemberRefusal | undefined {
  const extension = extensionRefusal(event, why.extensions);
  if (extension) return extension;
  if (event.dataschema !== undefined && why.dataschema)
    return { ok: false, field: 'dataschema', message: why.dataschema };
  const binary = why.binaryData ?? why.nonJsonData;
  if (event.data_base64 !== undefined && binary) return { ok: false, field: 'data_base64', message: binary };
  if (why.nonJsonData && !isJsonContentType(event.datacontenttype))
    return { ok: false, field: 'datacontenttype', message: why.nonJsonData };
  return undefined;
}

/**
 * The report of an event the provider's records do not hold (or a provider that keeps none):
 * nothing matched or delivered is claimed; `notes` say what the provider offers.
 */
export function notFoundTrace(
  provider: string,
  eventId: string,
  notes: string[],
  options: { mayAppear?: boolean } = {},
): TraceReport {
  return {
    provider,
    eventId,
    found: false,
    exact: false,
    matches: [],
    deliveries: [],
    notes,
    ...(options.mayAppear ? { mayAppear: true as const } : {}),
  };
}

/**
 * Splits entries into batches of at most `maxEntries` and (when given) `maxBytes` by `sizeOf`,
 * keeping order. An entry alone over `maxBytes` is the caller's to refuse before batching.
 */
export function batchEntries<T>(
  entries: readonly T[],
  limits: { maxEntries: number; maxBytes?: number; sizeOf?: (entry: T) => number },
): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const e of entries) {
    const size = limits.sizeOf?.(e) ?? 0;
    const over =
      current.length >= limits.maxEntries ||
      (limits.maxBytes !== undefined && bytes + size > limits.maxBytes);
    if (current.length && over) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(e);
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}

/** A provider's answer for one entry of a batch. */
export type EntryOutcome = { ok: true; providerId?: string } | { ok: false; error: PublishFailure };

/**
 * Sends `entries` with `send` (one batch) and resends only the entries whose failure is
 * retryable, up to `rounds` more times. Returns one outcome per entry, in order.
 */
export async function sendWithResend<T>(
  entries: readonly T[],
  send: (batch: T[]) => Promise<EntryOutcome[]>,
  rounds: number,
): Promise<EntryOutcome[]> {
  const outcomes: EntryOutcome[] = new Array<EntryOutcome>(entries.length);
  let pending = entries.map((_, i) => i);
  for (let round = 0; pending.length && round <= rounds; round++) {
    const answers = await send(pending.map((i) => entries[i]!));
    const again: number[] = [];
    pending.forEach((i, k) => {
      const a = answers[k] ?? {
        ok: false as const,
        error: { code: 'Internal' as const, message: 'no result for this entry', retryable: false },
      };
      outcomes[i] = a;
      if (!a.ok && a.error.retryable) again.push(i);
    });
    pending = again;
  }
  return outcomes;
}
