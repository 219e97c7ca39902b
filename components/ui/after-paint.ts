"use client";
import { startTransition, useEffect, useState } from "react";

/**
 * False on the server and in the first browser render; true once the browser has painted and is
 * idle (requestIdleCallback, at most `maxWaitMs` later; a short timeout where it is missing), set in
 * a transition so it never blocks input. Pages use it to show their main content first and draw
 * secondary, costly parts (more charts, long tables) right after.
 */
export function useAfterPaint(maxWaitMs = 400): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const show = () => startTransition(() => setReady(true));
    let idle: number | null = null;
    // Two frames: the first makes sure the main content is committed, the second that it was painted.
    let frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(() => {
        if (typeof requestIdleCallback === "function") idle = requestIdleCallback(show, { timeout: maxWaitMs });
        else idle = window.setTimeout(show, 50);
      });
    });
    return () => {
      cancelAnimationFrame(frame);
      if (idle != null) (typeof cancelIdleCallback === "function" ? cancelIdleCallback : clearTimeout)(idle);
    };
  }, [maxWaitMs]);
  return ready;
}
