// The AWS commands polybus can send by name (data only): the AppIntegrations event-integration
// commands and the EventBridge bus commands the adapter uses. It must never import an SDK, so the
// capability declarations and `polybus call` can read it without loading one.

/** `@aws-sdk/client-appintegrations` commands (without the `Command` suffix). */
export const AWS_APPINTEGRATIONS_ACTIONS = [
  'CreateEventIntegration',
  'GetEventIntegration',
  'ListEventIntegrations',
  'UpdateEventIntegration',
  'DeleteEventIntegration',
  'ListEventIntegrationAssociations',
  'TagResource',
  'UntagResource',
  'ListTagsForResource',
] as const;

/** `@aws-sdk/client-eventbridge` bus commands the adapter uses (without `Command`). */
export const AWS_EVENTBRIDGE_ACTIONS = [
  'CreateEventBus',
  'DescribeEventBus',
  'ListEventBuses',
  'UpdateEventBus',
  'DeleteEventBus',
] as const;

/** Every AWS command name `AwsClient.callNative` and `polybus call aws` accept. */
export const AWS_ACTIONS = [...AWS_APPINTEGRATIONS_ACTIONS, ...AWS_EVENTBRIDGE_ACTIONS] as const;
/** One of {@link AWS_ACTIONS}. */
export type AwsAction = (typeof AWS_ACTIONS)[number];
