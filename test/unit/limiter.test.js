/** Limiter (shared/limiter.ts): the counting semaphore with an adaptive window, on its own. */
const path = require('node:path');

const { Limiter, LIMITER } = require(
	path.join(__dirname, '..', '..', 'dist', 'nodes', 'Cortecs', 'shared', 'limiter.js'),
);

describe('Limiter', () => {
	test('grants up to the limit, then first come first served; a retry (urgent) goes first', async () => {
		const limiter = new Limiter(2);
		const order = [];
		const a = await limiter.acquire();
		const b = await limiter.acquire();
		const c = limiter.acquire().then((release) => (order.push('c'), release));
		const d = limiter.acquire(undefined, true).then((release) => (order.push('d'), release));
		expect(limiter.inFlight).toBe(2);
		expect(limiter.waiting).toBe(2);
		a();
		a(); // releasing twice frees one slot only
		await d;
		expect(order).toEqual(['d']);
		expect(limiter.inFlight).toBe(2);
		b();
		await c;
		expect(order).toEqual(['d', 'c']);
	});

	test('an aborted waiter leaves the queue and takes no slot', async () => {
		const limiter = new Limiter(1);
		const release = await limiter.acquire();
		const controller = new AbortController();
		const waiting = limiter.acquire(controller.signal);
		const next = limiter.acquire();
		controller.abort();
		await expect(waiting).rejects.toBeDefined();
		release();
		const releaseNext = await next;
		expect(limiter.inFlight).toBe(1);
		releaseNext();
		expect(limiter.inFlight).toBe(0);
		await expect(limiter.acquire(controller.signal)).rejects.toBeDefined();
	});

	test('overload shrinks the window by one (not below 1); calm grows it back, never above the cap', () => {
		let now = 1_000_000;
		const spy = jest.spyOn(Date, 'now').mockImplementation(() => now);
		try {
			const limiter = new Limiter(3);
			limiter.overloaded();
			limiter.overloaded();
			limiter.overloaded();
			expect(limiter.limit).toBe(1);
			limiter.succeeded();
			expect(limiter.limit).toBe(1);
			now += LIMITER.regrowAfterMs;
			limiter.succeeded();
			expect(limiter.limit).toBe(2);
			limiter.succeeded();
			expect(limiter.limit).toBe(2);
			limiter.overloaded(30_000); // a long Retry-After delays the regrowth as long
			now += LIMITER.regrowAfterMs;
			limiter.succeeded();
			expect(limiter.limit).toBe(1);
			now += 30_000;
			limiter.succeeded();
			now += LIMITER.regrowAfterMs;
			limiter.succeeded();
			now += LIMITER.regrowAfterMs;
			limiter.succeeded();
			expect(limiter.limit).toBe(3);
		} finally {
			spy.mockRestore();
		}
	});

	test('0 means unlimited: acquire never waits', async () => {
		const limiter = new Limiter(0);
		const releases = await Promise.all(Array.from({ length: 100 }, () => limiter.acquire()));
		expect(releases).toHaveLength(100);
		limiter.overloaded();
		expect(limiter.limit).toBe(0);
	});
});
