/**
 * A point is offline once silent for this many expected intervals (and at least 15 minutes beyond one).
 * Three, not two: loggers skip a reading now and then and deliveries lag by up to a few minutes, so
 * two intervals raised an outage for every single missed reading (calibration.test.ts).
 */
const OFFLINE_FACTOR = 3;
const MIN_SLACK_MS = 15 * 60_000;

function offlineAfterMs(expectedIntervalMin: number): number {
  const ms = expectedIntervalMin * 60_000;
  return Math.max(OFFLINE_FACTOR * ms, ms + MIN_SLACK_MS);
}

/** Whether a point whose newest reading is `lastSeenMs` is offline at `nowMs`. */
export const isOffline = (lastSeenMs: number, nowMs: number, expectedIntervalMin: number): boolean =>
  nowMs - lastSeenMs > offlineAfterMs(expectedIntervalMin);
