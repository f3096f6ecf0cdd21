/**
 * What the Azure emulator's resource handlers share: ARM errors, the state of one Azure
 * subscription, request bodies, ARM ids, the documented name rules and long-running operations.
 */
import { randomUUID } from 'node:crypto';
import type { LoopbackRequest } from '../../../testing/loopback.js';

/** An ARM error answer: `{ "error": { "code", "message" } }` with the HTTP status. */
export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A JSON object as the emulator stores it. */
export type Row = Record<string, unknown>;

/** A long-running operation: polled at its `Azure-AsyncOperation` or `Location` URL. */
export interface Operation {
  id: string;
  /** Polls left that answer InProgress (then `finish` decides). */
  polls: number;
  /** Finishes the operation: undefined when it succeeded, else the error it failed with. */
  finish: () => { code: string; message: string } | undefined | 'pending';
  done?: { status: 'Succeeded' | 'Failed'; error?: { code: string; message: string } };
  startTime: string;
}

/** One Azure subscription's state (the emulator keeps one per subscription id). */
export interface SubscriptionState {
  /** Topics by lower-cased `rg/name` (ARM names are not case-sensitive). */
  topics: Map<string, Row>;
  /** Topic keys by the topic's lower-cased `rg/name`. */
  keys: Map<string, { key1: string; key2: string }>;
  /** Event subscriptions by lower-cased `rg/topic/name`. */
  eventSubscriptions: Map<string, Row>;
  /** Full endpoint URLs of WebHook destinations (write-only in ARM answers) by the same key. */
  fullUrls: Map<string, string>;
}

/** A handler's answer. */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What the handlers need from the emulator. */
export interface AzureEmulatorScope {
  readonly url: string;
  readonly state: SubscriptionState;
  readonly resourceGroups: ReadonlySet<string>;
  /** Starts a long-running operation and returns its id. */
  startOperation(finish: Operation['finish']): string;
}

/** The ARM parts of a request path. */
export interface ArmPath {
  subscriptionId: string;
  resourceGroup?: string;
  topic?: string;
  eventSubscription?: string;
  /** A trailing action segment (`listKeys`, `getFullUrl`). */
  action?: string;
}

export const now = () => new Date().toISOString();
export const key = (...parts: string[]) => parts.map((p) => p.toLowerCase()).join('/');
export const notFound = (what: string, rg: string) =>
  new ArmError(404, 'ResourceNotFound', `The Resource '${what}' under resource group '${rg}' was not found.`);
export const invalid = (message: string) => new ArmError(400, 'InvalidRequest', message);

/** The JSON body of a request (an ARM error when it is not a JSON object). */
export function bodyOf(req: LoopbackRequest): Row {
  try {
    const b: unknown = JSON.parse(req.body.toString('utf8') || '{}');
    if (b && typeof b === 'object' && !Array.isArray(b)) return b as Row;
  } catch {
    // answered below
  }
  throw new ArmError(
    400,
    'InvalidRequestContent',
    'The request content was invalid and could not be deserialized.',
  );
}

/** Topic names: 3-50 letters, digits and hyphens (Topics_CreateOrUpdate topicName pattern). */
export const TOPIC_NAME = /^[A-Za-z0-9-]{3,50}$/;
/** Event subscription names: 3-64 letters, digits and hyphens. */
export const EVENT_SUBSCRIPTION_NAME = /^[A-Za-z0-9-]{3,64}$/;

/** The ARM id of a topic. */
export const topicId = (sub: string, rg: string, name: string) =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.EventGrid/topics/${name}`;

/** A new operation record. */
export function newOperation(finish: Operation['finish'], polls: number): Operation {
  return { id: randomUUID(), polls, finish, startTime: now() };
}
