/** The contract's call shapes: options every call takes, and CRUD over one kind. Types only. */

/** Options every call takes. */
export interface CallOptions {
  /** Cancels the call; the error is `PolybusError{code:'Cancelled'}`. */
  signal?: AbortSignal;
}

/** Options of `list`. */
export interface ListOptions extends CallOptions {
  /** Restrict to children of this bus (required where the provider scopes the kind to a bus). */
  bus?: string;
  /** Items per page request (the adapter clamps it to the provider's maximum). */
  pageSize?: number;
  /**
   * Only what the provider's list action returns: no per-item reads. The fields the list action
   * omits (the provider's `listOmits`) are then absent; `get` returns them.
   */
  summary?: boolean;
}

/** CRUD over one kind. `list` pages lazily: a page is fetched only when iteration reaches it. */
export interface ResourceApi<T, C, U> {
  create(input: C, options?: CallOptions): Promise<T>;
  get(id: string, options?: CallOptions): Promise<T>;
  list(options?: ListOptions): AsyncIterable<T>;
  update(id: string, patch: U, options?: CallOptions): Promise<T>;
  delete(id: string, options?: CallOptions): Promise<void>;
}
