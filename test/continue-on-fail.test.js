/**
 * Continue On Fail: one output item per input item, in input order, paired; failed ones carry their
 * error, the others are untouched. Off: the node fails with the first failing item (lowest index).
 * Run through n8n-core's RoutingNode against the test server.
 */
const { NodeApiError, NodeOperationError } = require('n8n-workflow');

const { seeded } = require('../tools/cortecs-server/latency');
const { useCortecsServer } = require('./server-fixture');
const { runNode, chat, errorShape } = require('./error-helpers');

const server = useCortecsServer();

/** Every kind of failure an item can meet, with the message its error item must carry. */
const FAULTS = {
	'bad input': {
		text: () => '',
		message: 'Messages → message 1 (user): the content is empty',
		httpCode: null,
		request: false,
	},
	400: {
		marker: '400',
		message:
			"Cortecs API error 400: Invalid request: parameter 'temperature' is not supported by the selected provider",
		httpCode: '400',
	},
	401: { marker: '401', message: 'Cortecs API error 401: Invalid API key', httpCode: '401' },
	404: {
		marker: '404',
		message: 'Cortecs API error 404: Not found: no provider can currently serve this model',
		httpCode: '404',
	},
	429: {
		marker: '429',
		message: 'Cortecs API error 429: Rate limit exceeded: please retry later',
		httpCode: '429',
	},
	503: {
		marker: '503',
		message:
			'Cortecs API error 503: Service unavailable: all providers for this model are overloaded',
		httpCode: '503',
	},
	reset: {
		marker: 'reset',
		message: 'Could not reach the Cortecs API: connection cut mid-answer (ECONNRESET)',
		httpCode: 'ECONNRESET',
	},
	drop: {
		marker: 'drop',
		message: 'Could not reach the Cortecs API: connection cut mid-answer (ECONNRESET)',
		httpCode: 'ECONNRESET',
	},
	'not-json': {
		marker: 'not-json',
		message: 'Cortecs API returned a body that is not JSON',
		httpCode: '200',
	},
	html: { marker: 'html', message: 'Cortecs API error 502: Bad Gateway', httpCode: '502' },
	empty: { marker: 'empty', message: 'Cortecs API returned an empty answer', httpCode: '200' },
	'sse-cut': {
		marker: 'sse-cut',
		message: 'The Cortecs stream was cut before it finished',
		httpCode: '200',
	},
};
const KINDS = Object.keys(FAULTS);

/** `count` items, exactly `failures` of them (at random places) with a random fault each. */
function makeItems(count, failures, seed) {
	// Deterministic (mulberry32), so a failing run can be replayed from its seed.
	const rand = seeded(seed);
	const indexes = [...Array(count).keys()];
	for (let i = count - 1; i > 0; i--) {
		const j = Math.floor(rand() * (i + 1));
		[indexes[i], indexes[j]] = [indexes[j], indexes[i]];
	}
	const faultAt = new Map(
		indexes.slice(0, failures).map((index) => [index, KINDS[Math.floor(rand() * KINDS.length)]]),
	);
	const items = [];
	for (let index = 0; index < count; index++) {
		const kind = faultAt.get(index);
		const fault = kind && FAULTS[kind];
		let text = `item ${index}`;
		if (fault?.marker) text += ` [[fault:${fault.marker}]]`;
		if (fault?.text) text = fault.text();
		items.push({ json: { text, index } });
	}
	return { items, faultAt };
}

const perItem = (extra = {}) =>
	chat({ messages: { message: [{ role: 'user', content: '={{ $json.text }}' }] }, ...extra });

/** A correctness check, not a timing one: 1,000 items on a busy machine may take longer than jest's default. */
const THOUSAND_TIMEOUT_MS = 120_000;

/** Runs the 1,000 items and checks every guarantee of Continue On Fail on them. */
async function checkThousand(items, faultAt) {
	const { items: out, error } = await runNode({
		baseUrl: server.url,
		parameters: perItem({ throughput: { maxRetries: 0, maxConcurrency: 20 } }),
		items,
		continueOnFail: true,
	});
	expect(error).toBeUndefined();
	expect(out).toHaveLength(1000);

	const failed = out.filter((item) => item.error);
	expect(failed).toHaveLength(100);
	expect(out.filter((item) => !item.error)).toHaveLength(900);

	out.forEach((item, index) => {
		// In input order and paired to its own input.
		expect(item.pairedItem).toEqual({ item: index });
		const kind = faultAt.get(index);
		if (!kind) {
			expect(item.error).toBeUndefined();
			expect(item.json.content).toBe(`Echo: item ${index}`);
			expect(item.json.finish_reason).toBe('stop');
			return;
		}
		const fault = FAULTS[kind];
		expect(item.json).toEqual({
			error: fault.message,
			description: expect.any(String),
			httpCode: fault.httpCode,
		});
		expect(item.error).toBeInstanceOf(kind === 'bad input' ? NodeOperationError : NodeApiError);
		expect(item.error.message).toBe(fault.message);
		expect(item.error.context.itemIndex).toBe(index);
	});

	// Each item was sent exactly once (no duplicates, retries are off), bad input not at all.
	const sent = server.chatRequests().map((r) => r.body.messages[0].content);
	const expected = items
		.filter((_, index) => FAULTS[faultAt.get(index)]?.request !== false)
		.map((item) => item.json.text);
	expect(sent).toHaveLength(expected.length);
	expect(new Set(sent).size).toBe(sent.length);
	expect([...sent].sort()).toEqual([...expected].sort());
	// The input items are untouched.
	items.forEach((item, index) => expect(item.json.index).toBe(index));
}

describe('Continue On Fail on', () => {
	test(
		'1,000 items, a random 10% fail: 900 results + 100 errors, none lost, duplicated or out of order',
		async () => {
			// A new seed each run (COF_SEED=<n> replays one); the seed is in the test's failure message.
			const seed = Number(process.env.COF_SEED) || Math.floor(Math.random() * 2 ** 31);
			const { items, faultAt } = makeItems(1000, 100, seed);
			try {
				await checkThousand(items, faultAt);
			} catch (error) {
				error.message = `COF_SEED=${seed}\n${error.message}`;
				throw error;
			}
		},
		THOUSAND_TIMEOUT_MS,
	);
});

describe('Continue On Fail on, next to others', () => {
	test('every fault kind next to successes: each error stays in its own place', async () => {
		const items = [];
		KINDS.forEach((kind, k) => {
			items.push({ json: { text: `ok ${k}` } });
			const fault = FAULTS[kind];
			items.push({
				json: { text: fault.text ? fault.text() : `bad ${k} [[fault:${fault.marker}]]` },
			});
		});
		const { items: out } = await runNode({
			baseUrl: server.url,
			parameters: perItem(),
			items,
			continueOnFail: true,
		});
		expect(out).toHaveLength(items.length);
		expect(out.map((item) => item.pairedItem.item)).toEqual(items.map((_, index) => index));
		KINDS.forEach((kind, k) => {
			expect(out[2 * k].json.content).toBe(`Echo: ok ${k}`);
			expect(out[2 * k + 1].json.error).toBe(FAULTS[kind].message);
		});
	});

	test('n > 1 gives n paired results for a good item and exactly one error item for a bad one', async () => {
		const items = [
			{ json: { text: 'a' } },
			{ json: { text: 'b [[fault:503]]' } },
			{ json: { text: 'c' } },
		];
		const { items: out } = await runNode({
			baseUrl: server.url,
			parameters: perItem({ options: { n: 2 } }),
			items,
			continueOnFail: true,
		});
		expect(
			out.map((item) => [item.pairedItem.item, item.json.content ?? item.json.httpCode]),
		).toEqual([
			[0, 'Echo: a'],
			[0, 'Echo: a (#2)'],
			[1, '503'],
			[2, 'Echo: c'],
			[2, 'Echo: c (#2)'],
		]);
	});

	test('timeouts and retries keep the place of their item', async () => {
		const items = [
			{ json: { text: 'slow [[fault:hang]]' } },
			{ json: { text: 'flaky [[fault:503:1]]' } },
			{ json: { text: 'fine' } },
		];
		const parameters = perItem({ throughput: { maxRetries: 1, timeout: 1 } });
		server.configure({ retryAfter: '0' });
		const { items: out } = await runNode({
			baseUrl: server.url,
			parameters,
			items,
			continueOnFail: true,
		});
		expect(out.map((item) => item.json.content ?? item.json.error)).toEqual([
			'Could not reach the Cortecs API: timed out (ETIMEDOUT)',
			'Echo: flaky [[fault:503:1]]',
			'Echo: fine',
		]);
		expect(out[0].json.description).toMatch(/\(Sent 2 times\.\)$/);
		expect(out.map((item) => item.pairedItem.item)).toEqual([0, 1, 2]);
	});
});

describe('Continue On Fail off', () => {
	test('the node fails with the first failing item (lowest index), even when a later item failed sooner', async () => {
		const items = [...Array(10).keys()].map((index) => ({ json: { text: `item ${index}` } }));
		items[3].json.text = 'slow [[fault:hang]]'; // fails last (timeout after 1 s)
		items[5].json.text = ''; // fails first, before any request
		items[7].json.text = 'item 7 [[fault:400]]'; // fails at once
		const { items: out, error } = await runNode({
			baseUrl: server.url,
			parameters: perItem({ throughput: { maxRetries: 0, timeout: 1 } }),
			items,
		});
		expect(out).toEqual([]);
		expect(errorShape(error)).toEqual({
			class: 'NodeApiError',
			message: 'Could not reach the Cortecs API: timed out (ETIMEDOUT)',
			description:
				'No complete answer within the Timeout. Raise Throughput → Timeout (Seconds), lower Options → Max Tokens, or try again later.',
			httpCode: 'ETIMEDOUT',
			itemIndex: 3,
		});
	});

	test.each([
		['bad input first', 1, 4, 'Messages → message 1 (user): the content is empty', 'none'],
		[
			'API error first',
			2,
			6,
			'Cortecs API error 503: Service unavailable: all providers for this model are overloaded',
			'503',
		],
	])('%s: the error is that item’s', async (_name, first, second, message, httpCode) => {
		const items = [...Array(8).keys()].map((index) => ({ json: { text: `item ${index}` } }));
		const at = (index) => (index === 1 || index === 4 ? '' : `item ${index} [[fault:503]]`);
		items[first].json.text = at(first);
		items[second].json.text = at(second);
		const { error } = await runNode({ baseUrl: server.url, parameters: perItem(), items });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(message);
		expect(error.httpCode).toBe(httpCode);
		expect(error.context.itemIndex).toBe(first);
	});
});
