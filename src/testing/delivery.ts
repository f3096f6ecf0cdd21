/**
 * The emulators' delivery engine: a delivery log per emulator, http delivery on loopback with a
 * retry policy and dead letter, and the emulator-only read of the log (`GET /_polybus/deliveries`).
 * It must never send to anything but a loopback address: emulators stay on 127.0.0.1, outbound too.
 */
import type { ServerResponse } from 'node:http';
import type { TraceReport } from '../core/contract/publish.js';
import { cloudEventHttpRequest, type ContentMode } from '../core/model/cloudevents-http.js';
import { DELIVERY_LOG_PATH, type DeliveryRecord, LOOPBACK_HOSTS } from '../core/runtime/delivery-log.js';

/** Retry policy of one http delivery: `retries` after the first attempt, `delayMs` between them. */
export interface HttpRetry {
  retries: number;
  delayMs: number;
}

/** The log and the http sender an emulator delivers with. */
export class DeliveryEngine {
  readonly records: DeliveryRecord[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    readonly provider: string,
    /** Delay between attempts: an emulator compresses the provider's schedule to this. */
    readonly retryDelayMs = 50,
    readonly mode: ContentMode = 'structured',
  ) {}

  /** Records one received event (matches and planned deliveries filled in by the emulator). */
  record(r: Omit<DeliveryRecord, 'receivedAt' | 'provider'>): DeliveryRecord {
    const rec: DeliveryRecord = { provider: this.provider, receivedAt: Date.now(), ...r };
    this.records.push(rec);
    return rec;
  }

  /**
   * Delivers `event` to `url` (loopback only) in the background: a 2xx ends it, anything else
   * retries up to `retries` times, then the delivery is dead-lettered (when `deadLetter` names
   * where) or failed. The record's delivery entry is updated as attempts happen.
   */
  deliverHttp(
    rec: DeliveryRecord,
    d: DeliveryRecord['deliveries'][number],
    url: string,
    retry: HttpRetry,
    deadLetter?: string,
  ): void {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      d.status = 'not-delivered';
      d.note = `not a URL: ${url}`;
      return;
    }
    if (!LOOPBACK_HOSTS.has(parsed.hostname)) {
      d.status = 'not-delivered';
      d.note = `the emulator delivers only to loopback addresses; ${parsed.hostname} is not one`;
      return;
    }
    d.status = 'pending';
    const { headers, body } = cloudEventHttpRequest(rec.event, this.mode);
    const run = async () => {
      for (let n = 0; n <= retry.retries; n++) {
        if (n > 0) await new Promise((r) => setTimeout(r, retry.delayMs));
        d.attempts = n + 1;
        try {
          const res = await fetch(url, { method: 'POST', headers, body });
          await res.arrayBuffer();
          d.attemptLog.push({ at: Date.now(), status: res.status });
          if (res.status >= 200 && res.status < 300) {
            d.status = 'delivered';
            delete d.note;
            return;
          }
          d.note = `attempt ${n + 1}: HTTP ${res.status}`;
        } catch (err) {
          d.attemptLog.push({ at: Date.now(), error: (err as Error).message });
          d.note = `attempt ${n + 1}: ${(err as Error).message}`;
        }
      }
      d.status = deadLetter ? 'dead-lettered' : 'failed';
      d.note = `${d.note ?? ''}; retries spent (${retry.retries})${deadLetter ? `; sent to dead letter ${deadLetter}` : ''}`;
    };
    const p = run().finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Waits until every delivery in flight has ended (for tests and `close`). */
  async settle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  /**
   * The trace report of one event id (the last record with that id, on `bus` when given: one id
   * may be published to several buses), or a not-found report.
   */
  report(eventId: string, bus?: string): TraceReport {
    const rec = [...this.records]
      .reverse()
      .find((r) => r.eventId === eventId && (bus === undefined || r.bus === bus));
    if (!rec)
      return {
        provider: this.provider,
        eventId,
        found: false,
        exact: true,
        matches: [],
        deliveries: [],
        notes: [`the emulator received no event with this id${bus === undefined ? '' : ` on bus ${bus}`}`],
      };
    return {
      provider: this.provider,
      eventId,
      found: true,
      exact: true,
      matches: rec.matches,
      deliveries: rec.deliveries.map(({ attemptLog: _log, ...d }) => d),
      notes: rec.notes,
    };
  }

  /** Serves `GET /_polybus/deliveries?event=<id>[&bus=<bus>]`; false when the path is not the log's. */
  serve(url: URL, res: ServerResponse): boolean {
    if (url.pathname !== DELIVERY_LOG_PATH) return false;
    const id = url.searchParams.get('event');
    const bus = url.searchParams.get('bus') ?? undefined;
    const body = JSON.stringify(id ? this.report(id, bus) : { records: this.records.length });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
    return true;
  }
}
