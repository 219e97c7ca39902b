/**
 * Short-lived per-process memos of what every REST request looks up again (ADR 0014): the principal of a
 * Bearer credential, the client owning a point, the modules a client has contracted. Off unless a process
 * turns them on (the REST API process does, API_LOOKUP_CACHE_SEC); the portal and the tests always read live.
 * Only found values are kept, so a new key, point or module works at once; a revocation, a disabled user or
 * module, or a point moved to another client takes effect in that process within the TTL.
 */
class TtlMemo<V> {
  private readonly map = new Map<string, { at: number; value: V }>();
  constructor(private readonly max: number) {}

  async get(ttlMs: number, key: string, load: () => Promise<V | null>): Promise<V | null> {
    if (ttlMs <= 0) return load();
    const now = performance.now();
    const hit = this.map.get(key);
    if (hit && now - hit.at < ttlMs) return hit.value;
    const value = await load();
    if (value === null) {
      this.map.delete(key);
      return null;
    }
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value!);
    this.map.set(key, { at: now, value });
    return value;
  }

  clear(): void {
    this.map.clear();
  }
}

let ttlMs = 0;

/** Turns the memos on for this process (0 turns them off). */
export function setLookupCacheTtl(seconds: number): void {
  ttlMs = seconds * 1000;
  for (const m of [principals, pointClients, clientModules]) m.clear();
}

const principals = new TtlMemo<unknown>(10_000);
const pointClients = new TtlMemo<number>(50_000);
const clientModules = new TtlMemo<boolean>(10_000);

export const memoPrincipal = <P>(credential: string, load: () => Promise<P | null>): Promise<P | null> =>
  principals.get(ttlMs, credential, load) as Promise<P | null>;

export const memoPointClient = (pointId: number, load: () => Promise<number | null>): Promise<number | null> =>
  pointClients.get(ttlMs, String(pointId), load);

export const memoModuleEnabled = (clientId: number, module: string, load: () => Promise<boolean>): Promise<boolean> =>
  clientModules.get(ttlMs, `${clientId}:${module}`, async () => ((await load()) ? true : null)).then((v) => v === true);
