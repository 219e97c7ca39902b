"use client";
import { useEffect, useState } from "react";

/** The current time, refreshed every `ms` (ages like "hace 5 min" stay true without reload). */
export function useNow(ms = 15_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
