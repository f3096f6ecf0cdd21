/** The CloudEvents HTTP protocol binding: structured and binary content modes, both ways. */

/** CloudEvents HTTP binding content modes (spec: http-protocol-binding.md 3.1, 3.2). */
export type ContentMode = 'structured' | 'binary';

/**
 * Percent-encodes a binary-mode header value as the HTTP binding says (3.1.3.2): space, `"`,
 * `%` and anything outside printable ASCII, as UTF-8 bytes.
 */
export function encodeHeaderValue(v: string): string {
  let out = '';
  for (const ch of v) {
    const c = ch.codePointAt(0)!;
    if (c > 0x20 && c < 0x7f && ch !== '"' && ch !== '%') out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The request a CloudEvent becomes in an HTTP binding content mode. */
export function cloudEventHttpRequest(
  event: Record<string, unknown>,
  mode: ContentMode,
): { headers: Record<string, string>; body: string } {
  if (mode === 'structured')
    return {
      headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' },
      body: JSON.stringify(event),
    };
  // Binary mode: attributes as ce- headers, the data as the body in its datacontenttype.
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event)) {
    if (k === 'data' || k === 'data_base64' || k === 'datacontenttype' || v === undefined) continue;
    headers[`ce-${k}`] = encodeHeaderValue(typeof v === 'string' ? v : JSON.stringify(v));
  }
  const ct = typeof event.datacontenttype === 'string' ? event.datacontenttype : 'application/json';
  headers['content-type'] = ct;
  const body =
    typeof event.data_base64 === 'string'
      ? Buffer.from(event.data_base64, 'base64').toString('latin1')
      : typeof event.data === 'string' && !/json/i.test(ct)
        ? event.data
        : JSON.stringify(event.data ?? null);
  return { headers, body };
}

/** Reads a CloudEvent back from a binding request (either mode), for receivers and tests. */
export function cloudEventFromHttp(headers: Record<string, string | string[] | undefined>, body: string) {
  const h = (k: string) => {
    const v = headers[k];
    return Array.isArray(v) ? v[0] : v;
  };
  const ct = h('content-type') ?? '';
  if (ct.startsWith('application/cloudevents+json'))
    return { mode: 'structured' as const, event: JSON.parse(body) as Record<string, unknown> };
  const event: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(headers))
    if (k.startsWith('ce-') && v !== undefined) event[k.slice(3)] = decodeURIComponent(String(v));
  event.datacontenttype = ct;
  event.data = /json/i.test(ct) ? (JSON.parse(body || 'null') as unknown) : body;
  return { mode: 'binary' as const, event };
}
