/**
 * The CloudEvent as a user writes it for `publish`: closed (a typo of an attribute is a compile
 * error), with the documented extensions known and the user's own declared. The run-time schema
 * (`PublishEventSchema`, core/model/events.ts) still checks every event. Types only.
 */

/**
 * A CloudEvents 1.0 event's own attributes (the spec's context attributes and data members).
 * A type alias, not an interface, so that it stays assignable to the loose record the adapters
 * read.
 */
export type CloudEventAttributes = {
  id: string;
  source: string;
  specversion: '1.0';
  type: string;
  subject?: string;
  /** RFC 3339. */
  time?: string;
  datacontenttype?: string;
  dataschema?: string;
  data?: unknown;
  data_base64?: string;
};

/**
 * The extension attributes CloudEvents documents (the `extensions/` folder of the spec:
 * distributed tracing, partitioning, sequence, dataref, recordedtime, auth context).
 */
export type DocumentedExtensionAttributes = {
  traceparent?: string;
  tracestate?: string;
  partitionkey?: string;
  sequence?: string;
  dataref?: string;
  recordedtime?: string;
  authtype?: string;
  authid?: string;
};

/** A value an extension attribute may hold in the JSON format (string, integer, boolean). */
export type ExtensionAttributeValue = string | number | boolean;

/**
 * A CloudEvent 1.0 in JSON format, as `publish` takes it. CloudEvents extension attributes are
 * legitimately open (any lower-case name of at most 20 letters and digits), but a closed type is
 * what catches `subjet: 'typo'`. So the type is closed by default: the spec's attributes and the
 * documented extensions are known, and your own extension attributes are declared once as `X`,
 * which is also what a reader of your code needs to know. At run time the event is checked
 * (attribute names, `time`, `specversion`) whatever its type.
 *
 * @typeParam X - your extension attributes, e.g. `{ tenant: string }`
 * @example
 * const ok: CloudEvent = { id: '1', source: 'shop', specversion: '1.0', type: 'order.created' };
 * // @ts-expect-error a typo of `subject` is not an extension attribute you declared
 * const typo: CloudEvent = { id: '1', source: 'shop', specversion: '1.0', type: 't', subjet: 'x' };
 * const mine: CloudEvent<{ tenant: string }> = { ...ok, tenant: 'acme' };
 */
export type CloudEvent<X extends { [K in keyof X]: ExtensionAttributeValue } = Record<never, never>> =
  CloudEventAttributes & DocumentedExtensionAttributes & X;
