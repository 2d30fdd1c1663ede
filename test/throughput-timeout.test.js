/**
 * Throughput → Timeout and stopping the execution, through n8n-core's RoutingNode against the test
 * server: a hanging request fails after Timeout (n8n's own Request Options → Timeout when the node's is
 * not set), queued items are not sent after a stop, waits end at once, and a run holds one abort
 * listener, not one per item.
 */
const { useCortecsServer } = require('./server-fixture');
const harness = require('../tools/harness/routing');
const { gaps, itemsOf, ok, params, throughputHelpers } = require('./throughput-helpers');

const server = useCortecsServer({}, { latencyMs: 0, capacity: null, retryAfter: '1' });
const { requestsFor } = throughputHelpers(server);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the node over one item per text, with Continue On Fail; its items and how long it took. */
async function timed(parameters, texts) {
	const started = Date.now();
	const result = await harness.runNode({
		baseUrl: server.url,
		parameters,
		items: itemsOf(texts),
		continueOnFail: true,
	});
	if (result.error) throw result.error;
	return { items: result.items, elapsedMs: Date.now() - started };
}

/**
 * Starts a run, stops the execution `afterMs` later (`beforeStop` first), and gives its result and how
 * long after the stop the run ended.
 */
async function stopAfter(afterMs, options, beforeStop = () => {}) {
	const controller = new AbortController();
	const running = harness.runNode({
		baseUrl: server.url,
		...options,
		abortSignal: controller.signal,
	});
	await sleep(afterMs);
	beforeStop();
	controller.abort();
	const stoppedAt = Date.now();
	const result = await running;
	return { result, endedAfterMs: Date.now() - stoppedAt };
}

describe('timeout per request', () => {
	test('a request that hangs fails after Timeout and is retried', async () => {
		const text = '[[fault:hang:1]] slow once';
		const { items, elapsedMs } = await timed(params({ timeout: 1, maxRetries: 1 }), [
			text,
			'bystander',
		]);
		expect(items.map(ok)).toEqual([true, true]);
		const attempts = requestsFor(text);
		expect(attempts).toHaveLength(2);
		expect(attempts[0].status).toBeNull();
		expect(gaps(attempts)[0]).toBeGreaterThanOrEqual(950);
		expect(elapsedMs).toBeLessThan(10_000);
		expect(requestsFor('bystander')).toHaveLength(1);
	});

	test('without retries, the hanging item fails as a timeout; the others are unaffected', async () => {
		const text = '[[fault:hang]] never answers';
		const { items, elapsedMs } = await timed(params({ timeout: 1, maxRetries: 0 }), [
			text,
			'bystander',
		]);
		expect(items[0].error).toBeDefined();
		expect(items[0].json.error).toMatch(/timed out|ETIMEDOUT/);
		expect(ok(items[1])).toBe(true);
		expect(elapsedMs).toBeGreaterThanOrEqual(950);
		expect(elapsedMs).toBeLessThan(5000);
	});

	test("n8n's Request Options → Timeout (ms) applies when the node's Timeout is not set", async () => {
		const text = '[[fault:hang]] n8n timeout';
		const { items, elapsedMs } = await timed(
			params({ maxRetries: 0 }, { requestOptions: { timeout: 700 } }),
			[text],
		);
		expect(items[0].json.error).toMatch(/timed out|ETIMEDOUT/);
		expect(elapsedMs).toBeGreaterThanOrEqual(650);
		expect(elapsedMs).toBeLessThan(4000);
	});

	test("the node's Timeout wins over n8n's Request Options → Timeout", async () => {
		const text = '[[fault:hang]] node timeout';
		const { items, elapsedMs } = await timed(
			params({ maxRetries: 0, timeout: 1 }, { requestOptions: { timeout: 120_000 } }),
			[text],
		);
		expect(items[0].json.error).toMatch(/timed out|ETIMEDOUT/);
		expect(elapsedMs).toBeLessThan(5000);
	});
});

describe('cancellation', () => {
	test('stopping the execution stops sending queued items and ends the run promptly', async () => {
		server.configure({ latencyMs: 200 });
		const texts = Array.from({ length: 30 }, (_, i) => `item ${i}`);
		const { result, endedAfterMs } = await stopAfter(300, {
			parameters: params({ maxConcurrency: 2 }),
			items: itemsOf(texts),
			continueOnFail: true,
		});
		expect(endedAfterMs).toBeLessThan(1000);
		const sentAtAbort = server.stats.total;
		expect(sentAtAbort).toBeLessThanOrEqual(6);
		// Nothing more arrives later: queued items were dropped, not merely left behind.
		await sleep(600);
		expect(server.stats.total).toBe(sentAtAbort);
		expect(result.items).toHaveLength(30);
		expect(result.items.filter((item) => item.error).length).toBeGreaterThanOrEqual(
			30 - sentAtAbort,
		);
	});

	test('stopping the execution ends a Retry-After wait at once, without another attempt', async () => {
		const text = '[[fault:429:5]] waiting';
		const { result, endedAfterMs } = await stopAfter(200, {
			parameters: params({ maxRetries: 3 }),
			items: itemsOf([text]),
		});
		expect(endedAfterMs).toBeLessThan(500);
		expect(result.error).toBeDefined();
		await sleep(1200);
		expect(requestsFor(text)).toHaveLength(1);
	});

	test('stopping the execution aborts requests in flight', async () => {
		const text = '[[fault:hang]] in flight';
		const before = server.stats.inFlight; // a live gauge: earlier tests' sockets may still be closing
		const { result, endedAfterMs } = await stopAfter(
			200,
			{
				parameters: params({ maxRetries: 3, timeout: 60 }),
				items: itemsOf([text]),
				continueOnFail: true,
			},
			() => expect(server.stats.inFlight).toBe(before + 1),
		);
		expect(endedAfterMs).toBeLessThan(500);
		expect(result.items[0].error).toBeDefined();
		expect(requestsFor(text)).toHaveLength(1);
		await sleep(100);
		expect(server.stats.inFlight).toBeLessThanOrEqual(before);
	});
});

describe('the execution abort signal', () => {
	const { getEventListeners } = require('node:events');

	/** Runs the node with an abort signal; samples how many abort listeners it holds while items wait. */
	async function listenersWhileRunning(throughput, texts, sampleAfterMs) {
		const controller = new AbortController();
		const running = harness.runNode({
			baseUrl: server.url,
			parameters: params(throughput),
			items: itemsOf(texts),
			abortSignal: controller.signal,
		});
		await sleep(sampleAfterMs);
		const listeners = getEventListeners(controller.signal, 'abort').length;
		const result = await running;
		return { listeners, result };
	}

	test('300 queued items: one abort listener per run, not one each (Node warns past 10)', async () => {
		server.configure({ latencyMs: 20 });
		const texts = Array.from({ length: 300 }, (_, i) => `item ${i}`);
		const { listeners, result } = await listenersWhileRunning({ maxConcurrency: 4 }, texts, 200);
		expect(result.items.filter(ok)).toHaveLength(300);
		// The limiter's one, the retry waits' one, the item preparation's one, and n8n's own for each
		// request in flight (axios).
		expect(listeners).toBeGreaterThan(0);
		expect(listeners).toBeLessThanOrEqual(3 + 4);
	});

	test('30 items waiting for their retry at once: still no listener each', async () => {
		server.configure({ latencyMs: 0 });
		const texts = Array.from({ length: 30 }, (_, i) => `[[fault:500:1]] item ${i}`);
		const { listeners, result } = await listenersWhileRunning(
			{ maxConcurrency: 5, maxRetries: 1 },
			texts,
			150,
		);
		expect(result.items.filter(ok)).toHaveLength(30);
		expect(server.stats.total).toBe(60);
		// As above: the limiter's, the retry waits', the preparation's, and one per request in flight.
		expect(listeners).toBeLessThanOrEqual(3 + 5);
	});
});
