/**
 * The emulators' delivery log as `trace` reads it: the record of what each published event matched
 * and where it was delivered, served at a fixed path by every bundled emulator.
 */
import type { TraceDelivery, TraceMatch, TraceReport } from '../contract/publish.js';

/** The loopback host names: the only hosts an emulator delivers to, or whose log trace reads. */
export const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** The emulator-only path that serves the delivery log (loopback emulators only, never a cloud). */
export const DELIVERY_LOG_PATH = '/_polybus/deliveries';

/** One event as an emulator received it, with what it matched and where it went. */
export interface DeliveryRecord {
  provider: string;
  bus: string;
  eventId: string;
  /** The event in CloudEvents JSON form, as the emulator holds it. */
  event: Record<string, unknown>;
  receivedAt: number;
  matches: TraceMatch[];
  deliveries: (TraceDelivery & { attemptLog: { at: number; status?: number; error?: string }[] })[];
  notes: string[];
}

/**
 * Reads an emulator's delivery log for one event (on `bus`, as the emulator records it, when
 * given); undefined when `endpoint` is not loopback (a real cloud has no such read) or the
 * emulator does not answer it.
 */
export async function readDeliveryLog(
  endpoint: string,
  eventId: string,
  bus?: string,
): Promise<TraceReport | undefined> {
  const url = new URL(DELIVERY_LOG_PATH, endpoint);
  if (!LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  url.searchParams.set('event', eventId);
  if (bus !== undefined) url.searchParams.set('bus', bus);
  try {
    const res = await fetch(url);
    if (res.status !== 200) return undefined;
    return (await res.json()) as TraceReport;
  } catch {
    return undefined;
  }
}
