/**
 * Request collapsing: callers asking for the same key while a computation for it is in flight share that
 * computation and its result object (ten dashboards polling one client's realtime cost one read, not ten).
 * Nothing outlives the computation, so a result is never older than the request that started it.
 */
export function coalescer<T>(): (key: string, compute: () => Promise<T>) => Promise<T> {
  const inflight = new Map<string, Promise<T>>();
  return (key, compute) => {
    const running = inflight.get(key);
    if (running) return running;
    const p = compute().finally(() => inflight.delete(key));
    inflight.set(key, p);
    return p;
  };
}
