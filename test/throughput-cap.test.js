/**
 * Throughput → Max Concurrent Requests, through n8n-core's RoutingNode against the test server: the cap
 * on requests in flight per node run (as the server measures it) and its adaptive window.
 */
const path = require('node:path');

const { useCortecsServer } = require('./server-fixture');
const { ok, throughputHelpers } = require('./throughput-helpers');

const server = useCortecsServer({}, { latencyMs: 0, capacity: null, retryAfter: '1' });
const { run } = throughputHelpers(server);

const dist = (...parts) =>
	require(path.join(__dirname, '..', 'dist', 'nodes', 'Cortecs', ...parts));
const { throughputOptions } = dist('descriptions', 'throughput.js');
const maxConcurrency = throughputOptions.options.find((o) => o.name === 'maxConcurrency');

describe('the cap on requests in flight', () => {
	test.each([1, 3, 7])(
		'Max Concurrent Requests %i: never more in flight, and the cap is used',
		async (cap) => {
			server.configure({ latencyMs: 40 });
			const texts = Array.from({ length: 30 }, (_, i) => `item ${i}`);
			const items = await run({ maxConcurrency: cap }, texts);
			expect(items.filter(ok)).toHaveLength(30);
			expect(server.stats.total).toBe(30);
			expect(server.stats.maxInFlight).toBe(cap);
		},
	);

	test('the default caps at 5 (the default in the description), whatever n8n starts at once', async () => {
		server.configure({ latencyMs: 40 });
		const items = await run(
			undefined,
			Array.from({ length: 25 }, (_, i) => `item ${i}`),
		);
		expect(items.filter(ok)).toHaveLength(25);
		expect(maxConcurrency.default).toBe(5);
		expect(server.stats.maxInFlight).toBe(5);
	});

	test('0 means no limit: every item is in flight at once, as n8n does on its own', async () => {
		server.configure({ latencyMs: 150 });
		const items = await run(
			{ maxConcurrency: 0 },
			Array.from({ length: 20 }, (_, i) => `item ${i}`),
		);
		expect(items.filter(ok)).toHaveLength(20);
		expect(server.stats.maxInFlight).toBe(20);
	});

	test('the cap holds across retries: waiting items do not hold a slot, retried ones never exceed it', async () => {
		server.configure({ latencyMs: 30 });
		const texts = Array.from({ length: 24 }, (_, i) =>
			i % 4 === 0 ? `[[fault:500:1]] flaky ${i}` : `item ${i}`,
		);
		const items = await run({ maxConcurrency: 3 }, texts);
		expect(items.filter(ok)).toHaveLength(24);
		expect(server.stats.total).toBe(24 + 6);
		expect(server.stats.maxInFlight).toBeLessThanOrEqual(3);
	});

	test('two runs at the same time each have their own limiter', async () => {
		server.configure({ latencyMs: 60 });
		const texts = (run) => Array.from({ length: 15 }, (_, i) => `run ${run} item ${i}`);
		const [a, b] = await Promise.all([
			run({ maxConcurrency: 3 }, texts('a')),
			run({ maxConcurrency: 3 }, texts('b')),
		]);
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
		const items = await run(
			{ maxConcurrency: 6, maxRetries: 2 },
			Array.from({ length: 40 }, (_, i) => `item ${i}`),
		);
		expect(items.filter(ok)).toHaveLength(40);
		expect(server.stats.count429).toBeGreaterThan(0);
		expect(server.stats.count429).toBeLessThan(20);
	});
});
