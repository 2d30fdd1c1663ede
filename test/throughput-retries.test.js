/**
 * Throughput → Max Retries, through n8n-core's RoutingNode against the test server: which failures are
 * retried, how long a retry waits (Retry-After, backoff), that nothing is sent again after success, and
 * what is not sent once the node has failed without Continue On Fail.
 *
 * Waits are checked with tolerant lower bounds ("waited at least ~1 s for Retry-After: 1") and loose
 * upper bounds that only catch "did not wait for the timer at all".
 */
const { useCortecsServer } = require('./server-fixture');
const harness = require('../tools/harness/routing');
const { gaps, itemsOf, ok, params, throughputHelpers } = require('./throughput-helpers');

const server = useCortecsServer({}, { latencyMs: 0, capacity: null, retryAfter: '1' });
const { requestsFor, run } = throughputHelpers(server);

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

	test('a 429 with Retry-After does not use up Max Retries; other failures still do', async () => {
		const rateLimited = '[[fault:429:3]] rate limited three times';
		const items = await run({ maxRetries: 1 }, [rateLimited]);
		expect(items.map(ok)).toEqual([true]);
		expect(requestsFor(rateLimited).map((r) => r.status)).toEqual([429, 429, 429, 200]);
	}, 20_000);

	test('Max Retries 0 sends each item once, also after a 429', async () => {
		const text = '[[fault:429:1]] once';
		const items = await run({ maxRetries: 0 }, [text]);
		expect(items[0].json.httpCode).toBe('429');
		expect(requestsFor(text)).toHaveLength(1);
	});

	test('Max Retries 0 sends each item once', async () => {
		const text = '[[fault:503:1]] once';
		const items = await run({ maxRetries: 0 }, [text]);
		expect(items[0].json.httpCode).toBe('503');
		expect(requestsFor(text)).toHaveLength(1);
	});

	test('without Continue On Fail, a retried item that succeeds does not fail the node', async () => {
		const text = '[[fault:502:1]] flaky';
		const result = await harness.runNode({
			baseUrl: server.url,
			parameters: params({ maxRetries: 1 }),
			items: itemsOf([text]),
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.content).toBe(`Echo: ${text}`);
	});
});

describe('without Continue On Fail: nothing more is sent once the node has failed', () => {
	const texts = (bad, count = 10) =>
		Array.from({ length: count }, (_, i) => (i === bad ? '[[fault:400]] bad item' : `item ${i}`));
	const sentTexts = () => server.chatRequests().map((r) => r.body.messages[0].content);

	test('items after the failed one that have not left are not sent; the node reports the real failure', async () => {
		const result = await harness.runNode({
			baseUrl: server.url,
			parameters: params({ maxConcurrency: 1 }),
			items: itemsOf(texts(2)),
		});
		expect(result.error).toBeDefined();
		expect(result.error.message).not.toMatch(/not sent/);
		expect(result.error.httpCode).toBe('400');
		expect(result.error.context?.itemIndex ?? result.error.itemIndex).toBe(2);
		expect(sentTexts()).toEqual(['item 0', 'item 1', '[[fault:400]] bad item']);
	});

	test('an earlier item waiting for its retry is still sent and can succeed; the later ones are not', async () => {
		const items = itemsOf([
			'[[fault:503:1]] flaky first',
			'[[fault:400]] bad second',
			'third',
			'fourth',
		]);
		const result = await harness.runNode({
			baseUrl: server.url,
			parameters: params({ maxConcurrency: 1 }),
			items,
		});
		expect(result.error.httpCode).toBe('400');
		expect(sentTexts()).toEqual([
			'[[fault:503:1]] flaky first',
			'[[fault:400]] bad second',
			'[[fault:503:1]] flaky first',
		]);
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
});
