/** The contract's publishing and tracing shapes: options and the trace report. Types only. */
import { type CloudEvent } from '../model/events.js';
import type { CallOptions } from './calls.js';

/** Options of `publish`. */
export interface PublishOptions extends CallOptions {
  /** Rounds of resending retryable failed entries after the first send (default 2). */
  resendRounds?: number;
}

/** Options of `trace`. */
export interface TraceOptions extends CallOptions {
  /** The bus (name or id) the event was published to. */
  bus: string;
  /**
   * The event as published, when the caller has it: lets providers that assign their own ids
   * (Tencent) find it in their log by source, type and time.
   */
  event?: CloudEvent;
  /** How far back to search, in ms (default one hour). */
  sinceMs?: number;
}

/** Why one integration did or did not take the event. */
export interface TraceMatch {
  integration: string;
  name?: string;
  matched: boolean;
  /** The condition that decided it. */
  reason: string;
}

/** One target's delivery of the event. */
export interface TraceDelivery {
  integration: string;
  target: string;
  /** Where it went (an http URL) or what it would be handed to. */
  destination?: string;
  attempts: number;
  status: 'delivered' | 'failed' | 'dead-lettered' | 'pending' | 'not-delivered';
  /** Why, for anything but `delivered`. */
  note?: string;
}

/** What `trace` found about one event on one provider. */
export interface TraceReport {
  provider: string;
  eventId: string;
  /** True when the provider's records were read (an emulator's log or Tencent's event log). */
  found: boolean;
  /** True when matches and deliveries come from exact records, false when reconstructed or absent. */
  exact: boolean;
  matches: TraceMatch[];
  deliveries: TraceDelivery[];
  /** What the provider offers and what it does not, said plainly. */
  notes: string[];
  /**
   * Not found yet, but the provider writes its record after the publish returns (an event log
   * that lags): reading again later may find it. Absent where not finding it is final.
   */
  mayAppear?: true;
}
