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

describe('nextAttempt: what a failed attempt leads to', () => {
	const { nextAttempt } = require(
		path.join(__dirname, '..', '..', 'dist', 'nodes', 'Cortecs', 'shared', 'backoff.js'),
	);
	const server = { status: 500, retryable: true };
	const refused = { status: 429, retryable: true, retryAfterMs: 1000 };

	test.each([
		['a failure a retry cannot fix', { status: 400, retryable: false }, 0, 0, 2, 'stop'],
		['a 5xx with retries left', server, 1, 0, 2, 'retry'],
		['a 5xx after Max Retries', server, 2, 0, 2, 'stop'],
		['waitTurns do not use up Max Retries', server, 2, 1, 2, 'retry'],
		['a 429 with Retry-After waits its turn', refused, 5, 5, 2, 'waitTurn'],
		[
			'… up to BACKOFF.rateLimitedRetries times',
			refused,
			12,
			BACKOFF.rateLimitedRetries,
			2,
			'stop',
		],
		[
			'a 429 without Retry-After counts as a retry',
			{ status: 429, retryable: true },
			0,
			0,
			1,
			'retry',
		],
		['Max Retries 0: one send, even for a 429 with Retry-After', refused, 0, 0, 0, 'stop'],
	])('%s', (_, failure, attempt, rateLimited, maxRetries, expected) => {
		expect(nextAttempt(failure, attempt, rateLimited, maxRetries)).toBe(expected);
	});
});
