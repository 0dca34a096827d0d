/**
 * Pagination defaults shared by the storage implementations (see `RunQuery` and `WorkflowQuery`).
 */

/** @default 25, as documented on `RunQuery.limit` and `WorkflowQuery.limit`. */
export const DEFAULT_PAGE_LIMIT = 25;

/** @default 1000, as documented on `LogQuery.limit`. */
export const DEFAULT_LOG_LIMIT = 1000;

/** Limit and offset with defaults applied; negative or fractional values are clamped to whole numbers >= 0. */
export function pageBounds(query: { limit?: number; offset?: number }, defaultLimit = DEFAULT_PAGE_LIMIT): { limit: number; offset: number } {
  return {
    limit: Math.max(0, Math.floor(query.limit ?? defaultLimit)),
    offset: Math.max(0, Math.floor(query.offset ?? 0)),
  };
}
