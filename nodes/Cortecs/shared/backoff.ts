/**
 * Waits between attempts of one item. Without Retry-After: exponential, base * 2^attempt capped at
 * capMs, with "equal jitter" (a random wait between half and all of it), so items that failed together
 * do not come back together. A Retry-After (seconds or HTTP date) is waited as given, up to
 * retryAfterCapMs.
 */
export const BACKOFF = {
	baseMs: 500,
	capMs: 30_000,
	retryAfterCapMs: 120_000,
	rateLimitedRetries: 10,
};

/** How long to wait before attempt `attempt + 1`: Retry-After when the API sent one, else backoff. */
export function backoffMs(
	attempt: number,
	failure: { retryAfterMs?: number },
	random = Math.random,
): number {
	if (failure.retryAfterMs !== undefined) {
		return Math.min(Math.max(0, failure.retryAfterMs), BACKOFF.retryAfterCapMs);
	}
	const ceiling = Math.min(BACKOFF.capMs, BACKOFF.baseMs * 2 ** attempt);
	return ceiling / 2 + random() * (ceiling / 2);
}
