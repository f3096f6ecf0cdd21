// The names of every Tencent EventBridge action polybus can send (data only, no client): read by
// the capability declarations and `polybus call`; it must never import the client or an SDK.

/**
 * Every action of the 2021-04-16 API: the 26 of the reference (seed 001) and the 6 more the official
 * SDK's EventBridge client knows (PutEvents, PublishEvent, the platform event catalogue). Each has
 * a method on {@link TencentClient} named in lowerCamelCase.
 */
export const TENCENT_ACTIONS = [
  'CreateEventBus',
  'DeleteEventBus',
  'GetEventBus',
  'ListEventBuses',
  'UpdateEventBus',
  'CreateRule',
  'DeleteRule',
  'GetRule',
  'ListRules',
  'UpdateRule',
  'CheckRule',
  'CreateTarget',
  'DeleteTarget',
  'ListTargets',
  'UpdateTarget',
  'CreateConnection',
  'DeleteConnection',
  'ListConnections',
  'UpdateConnection',
  'CheckTransformation',
  'CreateTransformation',
  'DeleteTransformation',
  'GetTransformation',
  'UpdateTransformation',
  'SearchLog',
  'DescribeLogTagValue',
  'PutEvents',
  'PublishEvent',
  'ListPlatformProducts',
  'ListPlatformEventNames',
  'ListPlatformEventPatterns',
  'GetPlatformEventTemplate',
] as const;
/** One of {@link TENCENT_ACTIONS}. */
export type TencentAction = (typeof TENCENT_ACTIONS)[number];
