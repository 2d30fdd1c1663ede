/** backoffMs (shared/backoff.ts): how long a retry waits. */
const path = require('node:path');

const { backoffMs, BACKOFF } = require(
	path.join(__dirname, '..', '..', 'dist', 'nodes', 'Cortecs', 'shared', 'backoff.js'),
);

test('backoffMs: Retry-After wins; otherwise base·2^attempt with equal jitter, capped', () => {
	const low = () => 0;
	const high = () => 1;
	expect(backoffMs(0, {}, low)).toBe(BACKOFF.baseMs / 2);
	expect(backoffMs(0, {}, high)).toBe(BACKOFF.baseMs);
	expect(backoffMs(1, {}, low)).toBe(BACKOFF.baseMs);
	expect(backoffMs(1, {}, high)).toBe(BACKOFF.baseMs * 2);
	expect(backoffMs(3, {}, high)).toBe(BACKOFF.baseMs * 8);
	expect(backoffMs(30, {}, high)).toBe(BACKOFF.capMs);
	expect(backoffMs(30, {}, low)).toBe(BACKOFF.capMs / 2);
	expect(backoffMs(5, { retryAfterMs: 1500 }, high)).toBe(1500);
	expect(backoffMs(0, { retryAfterMs: 0 }, high)).toBe(0);
	expect(backoffMs(0, { retryAfterMs: 10 * 60_000 }, high)).toBe(BACKOFF.retryAfterCapMs);
	for (let i = 0; i < 100; i++) {
		const wait = backoffMs(2, {});
		expect(wait).toBeGreaterThanOrEqual(BACKOFF.baseMs * 2);
		expect(wait).toBeLessThanOrEqual(BACKOFF.baseMs * 4);
	}
});
