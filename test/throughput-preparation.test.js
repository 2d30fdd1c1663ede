/**
 * How the Throughput loop prepares a request (buildChatRequest, or any `prepare` step handed to
 * throughputPagination): inside the pagination hook when the item's turn comes, at most one window
 * ahead of sending, once per item however often it is retried, and bad input fails its item unsent.
 * Also the credential's Base URL, which the loop sets once per run.
 */
const path = require('node:path');

const { useCortecsServer } = require('./server-fixture');
const harness = require('../tools/harness/routing');
const { itemsOf, ok, params, throughputHelpers } = require('./throughput-helpers');

const server = useCortecsServer({}, { latencyMs: 0, capacity: null, retryAfter: '1' });
const { requestsFor } = throughputHelpers(server);

const shared = (file) =>
	require(path.join(__dirname, '..', 'dist', 'nodes', 'Cortecs', 'shared', file));
const { throughputPagination } = shared('throughput.js');
const { buildChatRequest } = shared('chatRequest.js');

const completeOf = (type) =>
	type.description.properties.flatMap((p) => p.options ?? []).find((o) => o.value === 'complete');

/**
 * The node with another `prepare` step for Chat → Complete (to watch when and how often it runs). The
 * description's routing objects are shared by every instance of the node, so a copy is patched.
 */
function nodeTypeWith(prepare) {
	const type = harness.nodeType();
	type.description.properties = type.description.properties.map((property) => ({
		...property,
		options: property.options?.map((option) =>
			option.value === 'complete'
				? {
						...option,
						routing: {
							...option.routing,
							operations: { pagination: throughputPagination(prepare) },
						},
					}
				: option,
		),
	}));
	return type;
}

const runWith = (prepare, options) =>
	harness.runNode({ type: nodeTypeWith(prepare), baseUrl: server.url, ...options });

describe('preparation inside the Throughput loop', () => {
	test('Chat → Complete prepares its request in the pagination hook, not as a preSend', async () => {
		const { routing } = completeOf(harness.nodeType());
		expect(routing.send).toEqual({ paginate: true });
		expect(typeof routing.operations.pagination).toBe('function');
		// What buildChatRequest sends: the messages it built, the checked options.
		const parameters = params(
			{ maxConcurrency: 2 },
			{ options: { temperature: 0.3, stop: 'END' } },
		);
		const result = await harness.runNode({
			baseUrl: server.url,
			parameters,
			items: itemsOf(['one']),
		});
		expect(result.error).toBeUndefined();
		expect(server.chatRequests().map((r) => r.body)).toEqual([
			{
				model: 'mistral-small-2503',
				messages: [{ role: 'user', content: 'one' }],
				temperature: 0.3,
				stop: ['END'],
			},
		]);
	});

	test('items are prepared at most one window ahead of sending, while earlier items are in flight', async () => {
		server.configure({ latencyMs: 5 });
		const seenAtPrepare = [];
		const spy = async function (options) {
			seenAtPrepare.push(server.stats.total);
			return await buildChatRequest.call(this, options);
		};
		const texts = Array.from({ length: 12 }, (_, i) => `item ${i}`);
		const result = await runWith([spy], {
			parameters: params({ maxConcurrency: 1 }),
			items: itemsOf(texts),
		});
		expect(result.items.filter(ok)).toHaveLength(12);
		// One slot, so at most 2 items prepared and waiting for it: when item k is prepared, at least k - 1
		// items before it got the slot, and all but the one holding it are done: k - 2 requests reached the
		// server (RoutingNode's preSend would have prepared all 12 before sending any).
		expect(seenAtPrepare).toHaveLength(12);
		seenAtPrepare.forEach((seen, k) => expect(seen).toBeGreaterThanOrEqual(k - 2));
		expect(seenAtPrepare[11]).toBeGreaterThanOrEqual(9);
	});

	test('bad input fails its item, paired, and is never sent; the cap holds', async () => {
		server.configure({ latencyMs: 20 });
		const texts = ['fine 1', '', 'fine 2', 'fine 3'];
		const result = await harness.runNode({
			baseUrl: server.url,
			parameters: params({ maxConcurrency: 2 }),
			items: itemsOf(texts),
			continueOnFail: true,
		});
		expect(result.items.map(ok)).toEqual([true, false, true, true]);
		expect(result.items[1].json.error).toBe('Messages → message 1 (user): the content is empty');
		expect(result.items[1].pairedItem).toEqual({ item: 1 });
		expect(server.stats.total).toBe(3);
		expect(server.stats.maxInFlight).toBeLessThanOrEqual(2);
	});

	test('a preparation that throws something else fails its item as bad input would, never sent', async () => {
		const broken = async function () {
			throw new Error('broken preparation');
		};
		const result = await runWith([broken], {
			parameters: params({}),
			items: itemsOf(['x']),
			continueOnFail: true,
		});
		expect(result.items).toHaveLength(1);
		expect(result.items[0].error).toBeDefined();
		expect(result.items[0].json.error).toMatch(/broken preparation/);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(server.stats.total).toBe(0);
	});

	test('retries re-send the prepared request without preparing it again', async () => {
		let prepared = 0;
		const counting = async function (options) {
			prepared++;
			return await buildChatRequest.call(this, options);
		};
		const text = '[[fault:502:2]] flaky';
		const result = await runWith([counting], {
			parameters: params({ maxRetries: 2 }),
			items: itemsOf([text]),
		});
		expect(ok(result.items[0])).toBe(true);
		expect(prepared).toBe(1);
		expect(requestsFor(text).map((r) => r.status)).toEqual([502, 502, 200]);
		expect(new Set(requestsFor(text).map((r) => JSON.stringify(r.body))).size).toBe(1);
	});
});

describe('Base URL', () => {
	test("the credential's Base URL is used once per run, with or without a trailing slash", async () => {
		const result = await harness.runNode({
			baseUrl: `${server.url}/`,
			parameters: params({}),
			items: itemsOf(['a', 'b']),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.filter(ok)).toHaveLength(2);
		expect(server.chatRequests().map((r) => r.path)).toEqual([
			'/v1/chat/completions',
			'/v1/chat/completions',
		]);
	});
});
