// The AWS commands polybus can send by name (data only): every command of the two SDK clients it
// loads, `@aws-sdk/client-appintegrations` and `@aws-sdk/client-eventbridge` (test/aws.test.ts
// checks these lists against the SDKs' exports, so a new SDK command is noticed). It must never
// import an SDK, so the capability declarations and `polybus call` can read it without loading one.

/** `@aws-sdk/client-appintegrations` commands (without the `Command` suffix). */
export const AWS_APPINTEGRATIONS_ACTIONS = [
  'CreateApplication',
  'CreateDataIntegration',
  'CreateEventIntegration',
  'DeleteApplication',
  'DeleteDataIntegration',
  'DeleteEventIntegration',
  'GetApplication',
  'GetDataIntegration',
  'GetEventIntegration',
  'ListApplicationAssociations',
  'ListApplications',
  'ListDataIntegrationAssociations',
  'ListDataIntegrations',
  'ListEventIntegrationAssociations',
  'ListEventIntegrations',
  'ListTagsForResource',
  'TagResource',
  'UntagResource',
  'UpdateApplication',
  'UpdateDataIntegration',
  'UpdateEventIntegration',
] as const;

/** `@aws-sdk/client-eventbridge` commands (without `Command`). */
export const AWS_EVENTBRIDGE_ACTIONS = [
  'ActivateEventSource',
  'CancelReplay',
  'CreateApiDestination',
  'CreateArchive',
  'CreateConnection',
  'CreateEndpoint',
  'CreateEventBus',
  'CreatePartnerEventSource',
  'DeactivateEventSource',
  'DeauthorizeConnection',
  'DeleteApiDestination',
  'DeleteArchive',
  'DeleteConnection',
  'DeleteEndpoint',
  'DeleteEventBus',
  'DeletePartnerEventSource',
  'DeleteRule',
  'DescribeApiDestination',
  'DescribeArchive',
  'DescribeConnection',
  'DescribeEndpoint',
  'DescribeEventBus',
  'DescribeEventSource',
  'DescribePartnerEventSource',
  'DescribeReplay',
  'DescribeRule',
  'DisableRule',
  'EnableRule',
  'ListApiDestinations',
  'ListArchives',
  'ListConnections',
  'ListEndpoints',
  'ListEventBuses',
  'ListEventSources',
  'ListPartnerEventSourceAccounts',
  'ListPartnerEventSources',
  'ListReplays',
  'ListRuleNamesByTarget',
  'ListRules',
  'ListTagsForResource',
  'ListTargetsByRule',
  'PutEvents',
  'PutPartnerEvents',
  'PutPermission',
  'PutRule',
  'PutTargets',
  'RemovePermission',
  'RemoveTargets',
  'StartReplay',
  'TagResource',
  'TestEventPattern',
  'UntagResource',
  'UpdateApiDestination',
  'UpdateArchive',
  'UpdateConnection',
  'UpdateEndpoint',
  'UpdateEventBus',
] as const;

/**
 * Commands both services have (the tag commands): `callNative` sends them to the service that owns
 * the resource, by its ARN (`arn:aws:events:...` or EventBridge's `ResourceARN` field: EventBridge;
 * otherwise AppIntegrations, whose field is `resourceArn`).
 */
export const AWS_SHARED_ACTIONS = ['ListTagsForResource', 'TagResource', 'UntagResource'] as const;

/** One command name `AwsClient.callNative` and `polybus call aws` accept. */
export type AwsAction =
  (typeof AWS_APPINTEGRATIONS_ACTIONS)[number] | (typeof AWS_EVENTBRIDGE_ACTIONS)[number];
/** Every AWS command name `AwsClient.callNative` and `polybus call aws` accept (each once). */
export const AWS_ACTIONS: readonly AwsAction[] = [
  ...new Set<AwsAction>([...AWS_APPINTEGRATIONS_ACTIONS, ...AWS_EVENTBRIDGE_ACTIONS]),
];

/** The service a command goes to: the one that has it, or for a shared one, the ARN's owner. */
export function awsServiceOf(
  action: string,
  input: Record<string, unknown>,
): 'appintegrations' | 'eventbridge' {
  if ((AWS_SHARED_ACTIONS as readonly string[]).includes(action)) {
    const arn = input.ResourceARN ?? input.resourceArn;
    return input.ResourceARN !== undefined || (typeof arn === 'string' && /^arn:[^:]+:events:/.test(arn))
      ? 'eventbridge'
      : 'appintegrations';
  }
  return (AWS_APPINTEGRATIONS_ACTIONS as readonly string[]).includes(action)
    ? 'appintegrations'
    : 'eventbridge';
}
