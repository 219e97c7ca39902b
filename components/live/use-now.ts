"use client";
import { useEffect, useState } from "react";

/**
 * The current time, refreshed every `ms` (ages like "hace 5 min" stay true without reload).
 * `initial` (e.g. the server's clock when it prefetched the page's data) is used until the first tick.
 */
export function useNow(ms = 15_000, initial?: Date): Date {
  const [now, setNow] = useState(() => initial ?? new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
