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

/** What a failed attempt leads to: another attempt, another one that does not use up Max Retries, or none. */
export type NextAttempt = 'retry' | 'waitTurn' | 'stop';

/**
 * After attempt `attempt` (0 = the first send) failed with `failure`, `rateLimited` of the earlier ones
 * having been waitTurns. A 429 with Retry-After is the API asking to wait, and the refused request is not
 * billed: it does not use up Max Retries (up to BACKOFF.rateLimitedRetries of them), so runs that share one
 * Cortecs plan (several executions, queue-mode workers) take turns instead of failing. Max Retries 0 still
 * means one send.
 */
export function nextAttempt(
	failure: { status?: number; retryable: boolean; retryAfterMs?: number },
	attempt: number,
	rateLimited: number,
	maxRetries: number,
): NextAttempt {
	if (!failure.retryable) return 'stop';
	const waitTurn =
		maxRetries > 0 &&
		failure.status === 429 &&
		failure.retryAfterMs !== undefined &&
		rateLimited < BACKOFF.rateLimitedRetries;
	if (waitTurn) return 'waitTurn';
	return attempt - rateLimited < maxRetries ? 'retry' : 'stop';
}
