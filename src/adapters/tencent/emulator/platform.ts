/**
 * The platform event catalogue in the Tencent emulator: ListPlatformProducts,
 * ListPlatformEventNames, ListPlatformEventPatterns and GetPlatformEventTemplate over a small
 * catalogue (below). Shapes from the official SDK's 2021-04-16 models: PlatformProduct
 * {ProductName, ProductType}, PlatformEventDetail {EventName, EventType}, PlatformEventSummary
 * {EventName, EventPattern}, and EventTemplate (a JSON string).
 */
import { type Actions, required, TcError } from './common.js';

/** One platform event of the catalogue. */
interface PlatformEvent {
  EventName: string;
  /** `<product>:<category>:<event>`, the event's `type`. */
  EventType: string;
  /** The event's `source`. */
  source: string;
  /** The event's `subject` in the template. */
  subject: string;
  /** The event's `data` in the template. */
  data: Record<string, unknown>;
}

/** One platform product of the catalogue and its events. */
interface PlatformProduct {
  ProductName: string;
  ProductType: string;
  events: PlatformEvent[];
}

/**
 * The catalogue. `eb_platform_test` with its event `TEST` (`eb_platform_test:TEST:ALL`, source
 * `platform.cloud.tencent`) is the example of Tencent's API reference for ListPlatformEventNames,
 * ListPlatformEventPatterns and GetPlatformEventTemplate; its ProductName is not in the reference
 * (emulator wording). The `cvm` product and its two events are EMULATOR SAMPLE DATA: plausible
 * Cloud Monitor events for tests, not copied from a Tencent catalogue.
 */
export const PLATFORM_CATALOGUE: readonly PlatformProduct[] = [
  {
    ProductName: 'EventBridge platform test (documented example)',
    ProductType: 'eb_platform_test',
    events: [
      {
        EventName: 'TEST',
        EventType: 'eb_platform_test:TEST:ALL',
        source: 'platform.cloud.tencent',
        subject: 'ins-xxxx',
        data: { appId: 1253970226, instanceId: 'ins-xxxx' },
      },
    ],
  },
  {
    ProductName: 'Cloud Virtual Machine (emulator sample data)',
    ProductType: 'cvm',
    events: [
      {
        EventName: 'GuestReboot',
        EventType: 'cvm:ErrorEvent:GuestReboot',
        source: 'cvm.cloud.tencent',
        subject: 'ins-emulator1',
        data: { instanceId: 'ins-emulator1', result: 'reboot', sample: 'emulator sample data' },
      },
      {
        EventName: 'GuestOom',
        EventType: 'cvm:ErrorEvent:GuestOom',
        source: 'cvm.cloud.tencent',
        subject: 'ins-emulator1',
        data: { instanceId: 'ins-emulator1', process: 'app', sample: 'emulator sample data' },
      },
    ],
  },
];

const eventsOf = (productType: unknown) =>
  PLATFORM_CATALOGUE.find((p) => p.ProductType === productType)?.events ?? [];

/** The event pattern that matches one platform event (source and type, as the reference's example). */
const patternOf = (e: PlatformEvent) => JSON.stringify({ source: e.source, type: e.EventType });

/** The platform catalogue actions. */
export const platformActions = (): Actions => ({
  ListPlatformProducts: () => ({
    PlatformProducts: PLATFORM_CATALOGUE.map(({ ProductName, ProductType }) => ({
      ProductName,
      ProductType,
    })),
  }),
  // An unknown product type has no events: an empty list, as for a product without any.
  ListPlatformEventNames: (p) => {
    required(p, 'ProductType');
    return {
      EventNames: eventsOf(p.ProductType).map(({ EventName, EventType }) => ({ EventName, EventType })),
    };
  },
  ListPlatformEventPatterns: (p) => {
    required(p, 'ProductType');
    return {
      EventPatterns: eventsOf(p.ProductType).map((e) => ({
        EventName: e.EventName,
        EventPattern: patternOf(e),
      })),
    };
  },
  // The template is a CloudEvent as the platform delivers it (the reference's example fields).
  GetPlatformEventTemplate: (p, ctx) => {
    required(p, 'EventType');
    const event = PLATFORM_CATALOGUE.flatMap((x) => x.events).find((e) => e.EventType === p.EventType);
    if (!event) throw new TcError('ResourceNotFound', 'The resource does not exist.');
    const template = {
      specversion: '1.0',
      id: '00000000-0000-4000-8000-000000000000',
      source: event.source,
      type: event.EventType,
      subject: event.subject,
      time: 1693986756,
      region: ctx.region,
      datacontenttype: 'application/json;charset=utf-8',
      tags: { key1: 'value1' },
      data: event.data,
    };
    return { EventTemplate: JSON.stringify(template, null, 2) };
  },
});
