/**
 * The one native sender every provider's entry offers (`send`), typed by the provider's action
 * list, and its run-time check of the action name (for callers without types). Loads no adapter.
 */
import { invalidArgument } from '../core/model/errors.js';

/** Options of a native `send`. */
export interface NativeSendOptions {
  /** Cancels the call; the error is `PolybusError{code:'Cancelled'}`. */
  signal?: AbortSignal;
}

/**
 * Sends one native action by its name: `A` is the provider's action list, so a misspelled action
 * does not compile; the input is the action's documented parameters, the result the provider's
 * parsed response (its request id included), with polybus's credentials, signing, retries and
 * rate limits.
 *
 * @example
 * const { send, close } = openHuaweiClient({ providers: { huawei: { projectId } } });
 * const { items } = await send('ListChannels', { limit: 10 });
 * // @ts-expect-error a misspelled operation
 * await send('ListChanels');
 * await close();
 */
export type NativeSend<A extends string> = (
  action: A,
  input?: Record<string, unknown>,
  options?: NativeSendOptions,
) => Promise<Record<string, unknown>>;

/** Levenshtein distance, for suggesting the action a user meant. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1),
      );
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** The known actions closest to `action` (case-insensitive edit distance), nearest first. */
export function closeMatches(action: string, known: readonly string[], max = 3): string[] {
  const limit = Math.max(2, Math.floor(action.length / 3));
  return known
    .map((k) => ({ k, d: editDistance(action, k) }))
    .filter(({ d }) => d <= limit)
    .sort((x, y) => x.d - y.d || x.k.localeCompare(y.k))
    .slice(0, max)
    .map(({ k }) => k);
}

/** `action` when it is one of `known`, else an `InvalidArgument` naming the close matches. */
export function knownAction<A extends string>(provider: string, action: A, known: readonly string[]): A {
  if (known.includes(action)) return action;
  const near = closeMatches(action, known);
  throw invalidArgument(provider, 'call', [
    {
      field: 'action',
      rule: `${action} is not a ${provider} action${near.length ? `; did you mean ${near.join(', ')}?` : ''} (all: polybus capabilities --format markdown)`,
    },
  ]);
}
