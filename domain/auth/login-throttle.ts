/**
 * Lockout-safe login throttling: failures are counted per account *and IP*, so a stranger who
 * knows an e-mail address cannot lock its owner out from elsewhere; a slow brute force across
 * many accounts is capped per IP per day. After a few failures in a row each further attempt
 * waits longer (progressive delay), up to a pause at the consecutive limit.
 */
const FREE_FAILURES = 3;
const MAX_DELAY_SEC = 15 * 60;

/** Seconds the account+IP pair must wait after `consecutiveFails` failures in a row. */
export function loginDelaySec(consecutiveFails: number, consecutiveLimit: number): number {
  if (consecutiveFails >= consecutiveLimit) return 3600;
  if (consecutiveFails < FREE_FAILURES) return 0;
  return Math.min(2 ** (consecutiveFails - FREE_FAILURES), MAX_DELAY_SEC);
}
