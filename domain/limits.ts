/** Calls per batched tRPC request: the server refuses larger batches, the browser's link splits at it. */
export const TRPC_MAX_BATCH = 10;
