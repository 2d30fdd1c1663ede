/**
 * Concurrency and Retries, through n8n-core's RoutingNode against the test server: the cap on requests in
 * flight per node run (measured by the server), per-item retries (which statuses, how long they wait,
 * that nothing is sent again after success), the per-request timeout and cancellation.
 *
 * Correctness only: waits are checked with tolerant lower bounds ("waited at least ~1 s for
 * Retry-After: 1") and loose upper bounds that only catch "did not wait for the timer at all".
 */
const diagnostics = require('node:diagnostics_channel');
const path = require('node:path');
const { DirectoryLoader } = require('n8n-core');

const { useCortecsServer } = require('./server-fixture');
const harness = require('./routing-harness');
const { chatParameters } = harness;

/**
 * The node type as n8n's loader prepares it: with n8n's own "Request Options" (Batching, Timeout...)
 * added to the properties. Without them the Workflow drops `requestOptions` from the parameters.
 */
function loadedNodeType() {
	const type = harness.nodeType();
	DirectoryLoader.applyDeclarativeNodeOptionParameters(type);
	return type;
}

const runNode = (options) => harness.runNode({ type: loadedNodeType(), ...options });

const dist = (file) => require(path.join(__dirname, '..', 'dist', 'nodes', 'Cortecs', 'shared', file));

const server = useCortecsServer({}, { latencyMs: 0, capacity: null, retryAfter: '1' });

/** Parameters whose one user message comes from the item's `text`. */
function params(delivery, extra = {}) {
	return chatParameters({
		messages: { message: [{ role: 'user', content: '={{ $json.text }}' }] },
		...(delivery === undefined ? {} : { delivery }),
		...extra,
	});
}

const itemsOf = (texts) => texts.map((text) => ({ json: { text } }));

/** The chat requests the server received for one message text, in arrival order. */
const requestsFor = (text) => server.chatRequests().filter((r) => r.body?.messages?.[0]?.content === text);

const gaps = (requests) => requests.slice(1).map((r, i) => r.at - requests[i].at);

const ok = (item) => !item.error && typeof item.json.content === 'string';

async function run(delivery, texts, extra = {}) {
	const result = await runNode({ baseUrl: server.url, parameters: params(delivery), items: itemsOf(texts), continueOnFail: true, ...extra });
	if (result.error) throw result.error;
	return result.items;
}

describe('the cap on requests in flight', () => {
	test.each([1, 3, 7])('Max Concurrent Requests %i: never more in flight, and the cap is used', async (cap) => {
		server.configure({ latencyMs: 40 });
		const texts = Array.from({ length: 30 }, (_, i) => `item ${i}`);
		const items = await run({ maxConcurrency: cap }, texts);
		expect(items.filter(ok)).toHaveLength(30);
		expect(server.stats.total).toBe(30);
		expect(server.stats.maxInFlight).toBe(cap);
	});

	test('the default caps at 5 (DELIVERY_DEFAULTS), whatever n8n starts at once', async () => {
		server.configure({ latencyMs: 40 });
		const items = await run(undefined, Array.from({ length: 25 }, (_, i) => `item ${i}`));
		expect(items.filter(ok)).toHaveLength(25);
		expect(dist('constants.js').DELIVERY_DEFAULTS.maxConcurrency).toBe(5);
		expect(server.stats.maxInFlight).toBe(5);
	});

	test('0 means no limit: every item is in flight at once, as n8n does on its own', async () => {
		server.configure({ latencyMs: 150 });
		const items = await run({ maxConcurrency: 0 }, Array.from({ length: 20 }, (_, i) => `item ${i}`));
		expect(items.filter(ok)).toHaveLength(20);
		expect(server.stats.maxInFlight).toBe(20);
	});

	test('the cap holds across retries: waiting items do not hold a slot, retried ones never exceed it', async () => {
		server.configure({ latencyMs: 30 });
		const texts = Array.from({ length: 24 }, (_, i) => (i % 4 === 0 ? `[[fault:500:1]] flaky ${i}` : `item ${i}`));
		const items = await run({ maxConcurrency: 3 }, texts);
		expect(items.filter(ok)).toHaveLength(24);
		expect(server.stats.total).toBe(24 + 6);
		expect(server.stats.maxInFlight).toBeLessThanOrEqual(3);
	});

	test('two runs at the same time each have their own limiter', async () => {
		server.configure({ latencyMs: 60 });
		const texts = (run) => Array.from({ length: 15 }, (_, i) => `run ${run} item ${i}`);
		const [a, b] = await Promise.all([run({ maxConcurrency: 3 }, texts('a')), run({ maxConcurrency: 3 }, texts('b'))]);
		expect(a.filter(ok)).toHaveLength(15);
		expect(b.filter(ok)).toHaveLength(15);
		// One shared limiter would keep the server at 3; two separate ones never go past 3 + 3.
		expect(server.stats.maxInFlight).toBeGreaterThan(3);
		expect(server.stats.maxInFlight).toBeLessThanOrEqual(6);
	});

	test('a run that meets capacity 429s sends fewer at a time, and every item still succeeds', async () => {
		// More requests than the API takes: without the adaptive window the queued items would all meet
		// 429s within milliseconds, wait together and come back together, and run out of retries.
		server.configure({ latencyMs: 30, capacity: 2, retryAfter: '0.2' });
		const items = await run({ maxConcurrency: 6, maxRetries: 2 }, Array.from({ length: 40 }, (_, i) => `item ${i}`));
		expect(items.filter(ok)).toHaveLength(40);
		expect(server.stats.count429).toBeGreaterThan(0);
		expect(server.stats.count429).toBeLessThan(20);
	});
});

describe('per-item retries', () => {
	test('a flaky item is retried once, succeeds, and is not sent again; the others are sent once', async () => {
		const flaky = '[[fault:503:1]] flaky';
		const items = await run({ maxConcurrency: 2, maxRetries: 2 }, ['first', flaky, 'third']);
		expect(items.map(ok)).toEqual([true, true, true]);
		expect(items[1].json.content).toBe(`Echo: ${flaky}`);
		expect(requestsFor(flaky).map((r) => r.status)).toEqual([503, 200]);
		expect(requestsFor('first')).toHaveLength(1);
		expect(requestsFor('third')).toHaveLength(1);
		// Nothing is still queued or waiting after the run.
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(server.stats.total).toBe(4);
	});

	test.each([
		['408', 408],
		['429', 429],
		['500', 500],
		['502', 502],
		['503', 503],
		['504', 504],
		['reset', 200],
		['drop', null],
	])('%s is retried for that item only', async (fault, firstStatus) => {
		const flaky = `[[fault:${fault}:1]] retried`;
		const items = await run({ maxRetries: 1 }, [flaky, 'bystander']);
		expect(items.map(ok)).toEqual([true, true]);
		const attempts = requestsFor(flaky);
		expect(attempts.map((r) => r.status)).toEqual([firstStatus, 200]);
		expect(requestsFor('bystander')).toHaveLength(1);
	});

	test.each([
		['400', '400'],
		['401', '401'],
		['403', '403'],
		['404', '404'],
		['413', '413'],
		['422', '422'],
	])('%s is never retried', async (fault, httpCode) => {
		const text = `[[fault:${fault}]] not retried`;
		const items = await run({ maxRetries: 3 }, [text]);
		expect(items[0].error).toBeDefined();
		expect(items[0].json.httpCode).toBe(httpCode);
		expect(requestsFor(text)).toHaveLength(1);
	});

	test('retries stop at Max Retries; the error says how often the item was sent', async () => {
		const text = '[[fault:500:9]] always failing';
		const items = await run({ maxRetries: 2 }, [text]);
		expect(requestsFor(text)).toHaveLength(3);
		expect(items[0].json.httpCode).toBe('500');
		expect(items[0].json.description).toMatch(/Sent 3 times/);
	});

	test('Max Retries 0 sends each item once', async () => {
		const text = '[[fault:503:1]] once';
		const items = await run({ maxRetries: 0 }, [text]);
		expect(items[0].json.httpCode).toBe('503');
		expect(requestsFor(text)).toHaveLength(1);
	});

	test('without Continue On Fail, a retried item that succeeds does not fail the node', async () => {
		const text = '[[fault:502:1]] flaky';
		const result = await runNode({ baseUrl: server.url, parameters: params({ maxRetries: 1 }), items: itemsOf([text]) });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.content).toBe(`Echo: ${text}`);
	});
});

describe('without Continue On Fail: nothing more is sent once the node has failed', () => {
	const texts = (bad, count = 10) => Array.from({ length: count }, (_, i) => (i === bad ? '[[fault:400]] bad item' : `item ${i}`));
	const sentTexts = () => server.chatRequests().map((r) => r.body.messages[0].content);

	test('items after the failed one that have not left are not sent; the node reports the real failure', async () => {
		const result = await runNode({ baseUrl: server.url, parameters: params({ maxConcurrency: 1 }), items: itemsOf(texts(2)) });
		expect(result.error).toBeDefined();
		expect(result.error.message).not.toMatch(/not sent/);
		expect(result.error.httpCode).toBe('400');
		expect(result.error.context?.itemIndex ?? result.error.itemIndex).toBe(2);
		expect(sentTexts()).toEqual(['item 0', 'item 1', '[[fault:400]] bad item']);
	});

	test('an earlier item waiting for its retry is still sent and can succeed; the later ones are not', async () => {
		const items = itemsOf(['[[fault:503:1]] flaky first', '[[fault:400]] bad second', 'third', 'fourth']);
		const result = await runNode({ baseUrl: server.url, parameters: params({ maxConcurrency: 1 }), items });
		expect(result.error.httpCode).toBe('400');
		expect(sentTexts()).toEqual(['[[fault:503:1]] flaky first', '[[fault:400]] bad second', '[[fault:503:1]] flaky first']);
	});

	test('with Continue On Fail every item is still sent and gets its own result', async () => {
		const items = await run({ maxConcurrency: 1 }, texts(2));
		expect(items).toHaveLength(10);
		expect(items.filter(ok)).toHaveLength(9);
		expect(items[2].json.httpCode).toBe('400');
		expect(sentTexts()).toHaveLength(10);
	});
});

describe('how long a retry waits', () => {
	test('Retry-After in seconds is honoured (429 and 503)', async () => {
		const texts = ['[[fault:429:1]] wait', '[[fault:503:1]] wait'];
		const items = await run({ maxRetries: 1 }, texts);
		expect(items.map(ok)).toEqual([true, true]);
		for (const text of texts) {
			const [gap] = gaps(requestsFor(text));
			expect(gap).toBeGreaterThanOrEqual(950);
			expect(gap).toBeLessThan(5000);
		}
	});

	test('Retry-After as an HTTP date is honoured', async () => {
		const text = '[[fault:retry-after-date:1]] wait';
		const items = await run({ maxRetries: 1 }, [text]);
		expect(ok(items[0])).toBe(true);
		const attempts = requestsFor(text);
		expect(attempts.map((r) => r.status)).toEqual([503, 200]);
		// The date is at least 1 s ahead, in whole seconds: the retry comes at or after it.
		expect(gaps(attempts)[0]).toBeGreaterThanOrEqual(900);
		expect(gaps(attempts)[0]).toBeLessThan(5000);
	});

	test('capacity 429s: the Retry-After of the server (here 2 s) is waited', async () => {
		server.configure({ latencyMs: 300, capacity: 1, retryAfter: '2' });
		const items = await run({ maxConcurrency: 0, maxRetries: 1 }, ['first', 'second']);
		expect(items.map(ok)).toEqual([true, true]);
		const rejected = server.chatRequests().find((r) => r.status === 429);
		const retried = requestsFor(rejected.body.messages[0].content);
		expect(retried.map((r) => r.status)).toEqual([429, 200]);
		expect(gaps(retried)[0]).toBeGreaterThanOrEqual(1950);
	});

	test('without Retry-After: exponential backoff with jitter (0.25-0.5 s, then 0.5-1 s)', async () => {
		const text = '[[fault:500:2]] backoff';
		const items = await run({ maxRetries: 2 }, [text]);
		expect(ok(items[0])).toBe(true);
		const [first, second] = gaps(requestsFor(text));
		expect(first).toBeGreaterThanOrEqual(230);
		expect(first).toBeLessThan(2000);
		expect(second).toBeGreaterThanOrEqual(480);
		expect(second).toBeLessThan(3000);
	});

	test('backoffMs: Retry-After wins; otherwise base·2^attempt with equal jitter, capped', () => {
		const { backoffMs } = dist('transport.js');
		const { BACKOFF } = dist('constants.js');
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
});

describe('timeout per request', () => {
	test('a request that hangs fails after Timeout and is retried', async () => {
		const text = '[[fault:hang:1]] slow once';
		const started = Date.now();
		const items = await run({ timeout: 1, maxRetries: 1 }, [text, 'bystander']);
		expect(items.map(ok)).toEqual([true, true]);
		const attempts = requestsFor(text);
		expect(attempts).toHaveLength(2);
		expect(attempts[0].status).toBeNull();
		expect(gaps(attempts)[0]).toBeGreaterThanOrEqual(950);
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(requestsFor('bystander')).toHaveLength(1);
	});

	test('without retries, the hanging item fails as a timeout; the others are unaffected', async () => {
		const text = '[[fault:hang]] never answers';
		const started = Date.now();
		const items = await run({ timeout: 1, maxRetries: 0 }, [text, 'bystander']);
		const elapsed = Date.now() - started;
		expect(items[0].error).toBeDefined();
		expect(items[0].json.error).toMatch(/timed out|ETIMEDOUT/);
		expect(ok(items[1])).toBe(true);
		expect(elapsed).toBeGreaterThanOrEqual(950);
		expect(elapsed).toBeLessThan(5000);
	});

	test("n8n's Request Options → Timeout (ms) applies when the node's Timeout is not set", async () => {
		const text = '[[fault:hang]] n8n timeout';
		const started = Date.now();
		const result = await runNode({
			baseUrl: server.url,
			parameters: params({ maxRetries: 0 }, { requestOptions: { timeout: 700 } }),
			items: itemsOf([text]),
			continueOnFail: true,
		});
		const elapsed = Date.now() - started;
		expect(result.items[0].json.error).toMatch(/timed out|ETIMEDOUT/);
		expect(elapsed).toBeGreaterThanOrEqual(650);
		expect(elapsed).toBeLessThan(4000);
	});

	test("the node's Timeout wins over n8n's Request Options → Timeout", async () => {
		const text = '[[fault:hang]] node timeout';
		const started = Date.now();
		const result = await runNode({
			baseUrl: server.url,
			parameters: params({ maxRetries: 0, timeout: 1 }, { requestOptions: { timeout: 120_000 } }),
			items: itemsOf([text]),
			continueOnFail: true,
		});
		expect(result.items[0].json.error).toMatch(/timed out|ETIMEDOUT/);
		expect(Date.now() - started).toBeLessThan(5000);
	});
});

describe('cancellation', () => {
	test('stopping the execution stops sending queued items and ends the run promptly', async () => {
		server.configure({ latencyMs: 200 });
		const controller = new AbortController();
		const texts = Array.from({ length: 30 }, (_, i) => `item ${i}`);
		const running = runNode({
			baseUrl: server.url,
			parameters: params({ maxConcurrency: 2 }),
			items: itemsOf(texts),
			continueOnFail: true,
			abortSignal: controller.signal,
		});
		await new Promise((resolve) => setTimeout(resolve, 300));
		controller.abort();
		const abortedAt = Date.now();
		const result = await running;
		expect(Date.now() - abortedAt).toBeLessThan(1000);
		const sentAtAbort = server.stats.total;
		expect(sentAtAbort).toBeLessThanOrEqual(6);
		// Nothing more arrives later: queued items were dropped, not merely left behind.
		await new Promise((resolve) => setTimeout(resolve, 600));
		expect(server.stats.total).toBe(sentAtAbort);
		expect(result.items).toHaveLength(30);
		expect(result.items.filter((item) => item.error).length).toBeGreaterThanOrEqual(30 - sentAtAbort);
	});

	test('stopping the execution ends a Retry-After wait at once, without another attempt', async () => {
		const controller = new AbortController();
		const text = '[[fault:429:5]] waiting';
		const running = runNode({
			baseUrl: server.url,
			parameters: params({ maxRetries: 3 }),
			items: itemsOf([text]),
			abortSignal: controller.signal,
		});
		await new Promise((resolve) => setTimeout(resolve, 200));
		controller.abort();
		const abortedAt = Date.now();
		const result = await running;
		expect(Date.now() - abortedAt).toBeLessThan(500);
		expect(result.error).toBeDefined();
		await new Promise((resolve) => setTimeout(resolve, 1200));
		expect(requestsFor(text)).toHaveLength(1);
	});

	test('stopping the execution aborts requests in flight', async () => {
		const controller = new AbortController();
		const text = '[[fault:hang]] in flight';
		const before = server.stats.inFlight; // a live gauge: earlier tests' sockets may still be closing
		const running = runNode({
			baseUrl: server.url,
			parameters: params({ maxRetries: 3, timeout: 60 }),
			items: itemsOf([text]),
			continueOnFail: true,
			abortSignal: controller.signal,
		});
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(server.stats.inFlight).toBe(before + 1);
		controller.abort();
		const abortedAt = Date.now();
		const result = await running;
		expect(Date.now() - abortedAt).toBeLessThan(500);
		expect(result.items[0].error).toBeDefined();
		expect(requestsFor(text)).toHaveLength(1);
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(server.stats.inFlight).toBeLessThanOrEqual(before);
	});
});

describe('the execution abort signal', () => {
	const { getEventListeners } = require('node:events');

	/** Runs the node with an abort signal; samples how many abort listeners it holds while items wait. */
	async function listenersWhileRunning(delivery, texts, sampleAfterMs) {
		const controller = new AbortController();
		const running = runNode({ baseUrl: server.url, parameters: params(delivery), items: itemsOf(texts), abortSignal: controller.signal });
		await new Promise((resolve) => setTimeout(resolve, sampleAfterMs));
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
		const { listeners, result } = await listenersWhileRunning({ maxConcurrency: 5, maxRetries: 1 }, texts, 150);
		expect(result.items.filter(ok)).toHaveLength(30);
		expect(server.stats.total).toBe(60);
		expect(listeners).toBeLessThanOrEqual(2 + 5);
	});
});

describe('Limiter', () => {
	const { Limiter } = dist('limiter.js');
	const { LIMITER } = dist('constants.js');

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

describe('Pacer: the starts of a run are spread out', () => {
	const { Pacer } = dist('limiter.js');
	const { PACING } = dist('constants.js');

	/** Takes `count` turns at once; returns the waits asked for (the pause itself returns at once). */
	async function turns(pacer, window, count) {
		const waits = [];
		await Promise.all(Array.from({ length: count }, () => pacer.turn(window, async (ms) => void waits.push(ms))));
		return waits;
	}

	test('before any answer: one start per maxGapMs; no pacing for a window of 1 or no cap', async () => {
		const waits = await turns(new Pacer(), 8, 4);
		// The first starts at once; each next one waits (almost) a whole gap after the one before it.
		expect(waits).toHaveLength(3);
		for (const wait of waits) expect(wait).toBeGreaterThan(PACING.maxGapMs - 0.5);
		for (const wait of waits) expect(wait).toBeLessThanOrEqual(PACING.maxGapMs);
		expect(await turns(new Pacer(), 1, 4)).toEqual([]);
		expect(await turns(new Pacer(), 0, 4)).toEqual([]);
		expect(new Pacer(0).gap(8)).toBe(0);
	});

	test('with answers in: the gap is the shortest recent answer time shared by the window, capped at maxGapMs', () => {
		const pacer = new Pacer(5);
		expect(pacer.gap(8)).toBe(5);
		pacer.observe(16);
		expect(pacer.gap(8)).toBe(2); // 16 ms / 8
		expect(pacer.gap(4)).toBe(4);
		// A slow answer (a busy event loop, a long generation) raises it by a tenth only...
		pacer.observe(16_000);
		expect(pacer.gap(8)).toBeCloseTo(2.2, 10);
		// ...so it takes a run of slow answers to reach the cap, and one fast answer brings it back.
		for (let i = 0; i < 20; i++) pacer.observe(16_000);
		expect(pacer.gap(8)).toBe(5);
		pacer.observe(8);
		expect(pacer.gap(8)).toBe(1);
	});

	test('a wait that ends late (a busy event loop) does not let the next start early', async () => {
		const pacer = new Pacer(5);
		const starts = [];
		const late = async (ms) => {
			const until = performance.now() + ms + 20;
			while (performance.now() < until); // the loop is blocked well past the due time
		};
		await Promise.all(Array.from({ length: 4 }, () => pacer.turn(8, late).then(() => starts.push(performance.now()))));
		for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(4.5);
	});

	test('stopping the execution ends the wait for a turn', async () => {
		const pacer = new Pacer(5);
		const stopped = new Error('stopped');
		await pacer.turn(8, async () => {});
		await expect(pacer.turn(8, async () => Promise.reject(stopped))).rejects.toBe(stopped);
		// The next turn is not stuck behind the failed one.
		await expect(pacer.turn(8, async () => {})).resolves.toBeUndefined();
	});

	test('requests that would all leave at once are started spread out, and the cap is still used', async () => {
		server.configure({ latencyMs: 100 });
		// A first run compiles the way to the socket (tens of ms once), which would blur the gaps measured.
		await run({ maxConcurrency: 8 }, ['warm-up']);
		server.reset();
		// When each request starts on this side: the server's clock would also count this event loop's other work.
		const starts = [];
		const onStart = () => starts.push(performance.now());
		diagnostics.subscribe('http.client.request.start', onStart);
		try {
			const items = await run({ maxConcurrency: 8 }, Array.from({ length: 8 }, (_, i) => `item ${i}`));
			expect(items.filter(ok)).toHaveLength(8);
		} finally {
			diagnostics.unsubscribe('http.client.request.start', onStart);
		}
		expect(server.stats.maxInFlight).toBe(8);
		expect(starts).toHaveLength(8);
		// Before any answer is in, one turn per maxGapMs (unpaced, all 8 start within a millisecond or two).
		// Measured at the socket, so give or take the time from the turn to the socket, which varies with
		// what else the event loop does (the preparation of later items, n8n's own work).
		const between = gaps(starts.map((at) => ({ at }))).sort((a, b) => a - b);
		expect(between[3]).toBeGreaterThanOrEqual(PACING.maxGapMs / 2);
		expect(starts[7] - starts[0]).toBeGreaterThanOrEqual(4 * PACING.maxGapMs);
	});
});

describe('sendWithLimitsAfter: preSends run when the item gets its slot', () => {
	const { sendWithLimitsAfter } = dist('transport.js');
	const { validateChatRequest } = dist('validation.js');

	/** The node with its preSends moved into the pagination function, as bench/RESULTS.md proposes. */
	/** The node as built (it prepares items through sendWithLimitsAfter), or a copy with another preSend. */
	function deferredNodeType(preSend) {
		const type = loadedNodeType();
		if (!preSend) return type;
		// The description's routing objects are shared by every instance of the node: patch a copy.
		type.description.properties = copyDeep(type.description.properties);
		for (const property of type.description.properties) {
			for (const option of property.options ?? []) {
				if (option.value !== 'complete' || !option.routing) continue;
				option.routing.operations = { ...option.routing.operations, pagination: sendWithLimitsAfter(preSend) };
			}
		}
		return type;
	}

	const copyDeep = (value) =>
		Array.isArray(value)
			? value.map(copyDeep)
			: value && typeof value === 'object'
				? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyDeep(v)]))
				: value;

	test('the node prepares items in its pagination hook, not in preSend; patching a copy leaves it untouched', () => {
		const completeOf = (type) => type.description.properties.flatMap((p) => p.options ?? []).find((o) => o.value === 'complete');
		const node = completeOf(harness.nodeType());
		expect(node.routing.send.preSend).toBeUndefined();
		expect(node.routing.send.paginate).toBe(true);
		const patched = completeOf(deferredNodeType([async (o) => o]));
		expect(patched.routing.operations.pagination).not.toBe(node.routing.operations.pagination);
		expect(completeOf(harness.nodeType()).routing.operations.pagination).toBe(node.routing.operations.pagination);
	});

	const runDeferred = (options, preSend) => harness.runNode({ type: deferredNodeType(preSend), ...options });

	test('the same bodies and items as with preSend', async () => {
		const texts = ['one', 'two', 'three'];
		const parameters = params({ maxConcurrency: 2 }, { options: { temperature: 0.3, stop: 'END' } });
		const plain = await runNode({ baseUrl: server.url, parameters, items: itemsOf(texts) });
		const plainBodies = server.chatRequests().map((r) => r.body);
		server.reset();
		const deferred = await runDeferred({ baseUrl: server.url, parameters, items: itemsOf(texts) });
		expect(deferred.error).toBeUndefined();
		expect(server.chatRequests().map((r) => r.body)).toEqual(plainBodies);
		expect(deferred.items.map((i) => i.json.content)).toEqual(plain.items.map((i) => i.json.content));
		expect(plainBodies[0]).toEqual({ model: 'mistral-small-2503', messages: [{ role: 'user', content: 'one' }], temperature: 0.3, stop: ['END'] });
	});

	test('items are prepared at most one window ahead of sending, while earlier items are in flight', async () => {
		server.configure({ latencyMs: 5 });
		const seenAtPrepare = [];
		const spy = async function (options) {
			seenAtPrepare.push(server.stats.total);
			return await validateChatRequest.call(this, options);
		};
		const texts = Array.from({ length: 12 }, (_, i) => `item ${i}`);
		const result = await runDeferred({ baseUrl: server.url, parameters: params({ maxConcurrency: 1 }), items: itemsOf(texts) }, [spy]);
		expect(result.items.filter(ok)).toHaveLength(12);
		// One slot, so at most 2 items prepared and waiting for it: when item k is prepared, at least k - 1
		// items before it got the slot, and all but the one holding it are done: k - 2 requests reached the
		// server (RoutingNode's preSend would have prepared all 12 before sending any).
		expect(seenAtPrepare).toHaveLength(12);
		seenAtPrepare.forEach((seen, k) => expect(seen).toBeGreaterThanOrEqual(k - 2));
		expect(seenAtPrepare[11]).toBeGreaterThanOrEqual(9);
	});

	test('bad input still fails its item, paired, and is never sent; the cap holds', async () => {
		server.configure({ latencyMs: 20 });
		const texts = ['fine 1', '', 'fine 2', 'fine 3'];
		const result = await runDeferred({ baseUrl: server.url, parameters: params({ maxConcurrency: 2 }), items: itemsOf(texts), continueOnFail: true });
		expect(result.items.map(ok)).toEqual([true, false, true, true]);
		expect(result.items[1].json.error).toBe('Messages → message 1 (user): the content is empty');
		expect(result.items[1].pairedItem).toEqual({ item: 1 });
		expect(server.stats.total).toBe(3);
		expect(server.stats.maxInFlight).toBeLessThanOrEqual(2);
	});

	test('a preSend that throws fails its item as bad input would, never sent', async () => {
		const broken = async function () {
			throw new Error('broken preparation');
		};
		const result = await runDeferred({ baseUrl: server.url, parameters: params({}), items: itemsOf(['x']), continueOnFail: true }, [broken]);
		expect(result.items[0].error).toBeDefined();
		expect(result.items[0].json.error).toMatch(/broken preparation/);
		expect(server.stats.total).toBe(0);
	});

	test('retries re-send the prepared request without preparing it again', async () => {
		let prepared = 0;
		const counting = async function (options) {
			prepared++;
			return await validateChatRequest.call(this, options);
		};
		const text = '[[fault:502:2]] flaky';
		const result = await runDeferred({ baseUrl: server.url, parameters: params({ maxRetries: 2 }), items: itemsOf([text]) }, [counting]);
		expect(ok(result.items[0])).toBe(true);
		expect(prepared).toBe(1);
		expect(requestsFor(text).map((r) => r.status)).toEqual([502, 502, 200]);
		expect(new Set(requestsFor(text).map((r) => JSON.stringify(r.body))).size).toBe(1);
	});
});

describe('Base URL', () => {
	test("the credential's Base URL is used once per run, with or without a trailing slash", async () => {
		const result = await runNode({ baseUrl: `${server.url}/`, parameters: params({}), items: itemsOf(['a', 'b']) });
		expect(result.error).toBeUndefined();
		expect(result.items.filter(ok)).toHaveLength(2);
		expect(server.chatRequests().map((r) => r.path)).toEqual(['/v1/chat/completions', '/v1/chat/completions']);
	});
});
