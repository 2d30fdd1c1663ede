/**
 * Embedding → Create through n8n-core's RoutingNode against the test server: how items are batched into
 * requests (exact bodies), vectors paired to their items, bad input, failing batches with and without
 * Continue On Fail, a 429 on one batch retried alone, the output (usage and cost shares), and the model
 * list filtered to embedding models.
 */
const { NodeApiError, NodeOperationError } = require('n8n-workflow');

const { useCortecsServer, EMBEDDINGS_SETTINGS } = require('./server-fixture');
const { runNode, searchModels } = require('../tools/harness/routing');
const { MODELS } = require('../tools/cortecs-server');
const { vectorOf, tokensOf } = require('../tools/cortecs-server/embedding');
const { ROUTER_SET, ROUTER_SENT } = require('./embedding-router');

const server = useCortecsServer({}, EMBEDDINGS_SETTINGS);

const MODEL = 'multilingual-e5-large';

/** Embedding → Create of each item's `text`; extra fields override. */
function embed(extra = {}) {
	return {
		resource: 'embedding',
		operation: 'create',
		model: { __rl: true, mode: 'list', value: MODEL },
		text: '={{ $json.text }}',
		throughput: { maxRetries: 0 },
		...extra,
	};
}

const itemsOf = (texts) => texts.map((text) => ({ json: { text } }));
const textsOf = (count, prefix = 'text') =>
	Array.from({ length: count }, (_, i) => `${prefix} ${i}`);
const bodies = () => server.embeddingRequests().map((r) => r.body);

async function run(texts, parameters = embed(), extra = {}) {
	return await runNode({ baseUrl: server.url, parameters, items: itemsOf(texts), ...extra });
}

/** The output the node must give a text embedded alone in its request (e5's price rounds its cost to 0). */
const single = (text, extra = {}) => ({
	embedding: vectorOf(text),
	model: MODEL,
	provider: 'ionos',
	usage: { prompt_tokens: tokensOf(text), total_tokens: tokensOf(text) },
	cost_eur: Math.round(tokensOf(text) * 0.02) / 1e6,
	...extra,
});

describe('batching: one request per Batch Size items, in item order', () => {
	test('one item: one request with a list of one text; the item gets its vector', async () => {
		const { items, error } = await run(['Hello EU vectors']);
		expect(error).toBeUndefined();
		expect(bodies()).toEqual([{ model: MODEL, input: ['Hello EU vectors'] }]);
		expect(items).toEqual([{ json: single('Hello EU vectors'), pairedItem: { item: 0 } }]);
	});

	test('Batch Size items: exactly one request carrying all their texts, in order', async () => {
		const texts = textsOf(3);
		const { items } = await run(texts, embed({ options: { batchSize: 3 } }));
		expect(bodies()).toEqual([{ model: MODEL, input: texts }]);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items.map((i) => i.json.embedding)).toEqual(texts.map(vectorOf));
	});

	test('Batch Size + 1 items: a full request, then one with the last text', async () => {
		const texts = textsOf(4);
		const { items } = await run(texts, embed({ options: { batchSize: 3 } }));
		expect(bodies()).toEqual([
			{ model: MODEL, input: texts.slice(0, 3) },
			{ model: MODEL, input: [texts[3]] },
		]);
		expect(items.map((i) => [i.pairedItem.item, i.json.embedding])).toEqual(
			texts.map((t, i) => [i, vectorOf(t)]),
		);
	});

	test('the default Batch Size is 100: 250 items go in 3 requests of 100, 100 and 50', async () => {
		const texts = textsOf(250);
		const { items } = await run(texts);
		expect(bodies().map((b) => b.input)).toEqual([
			texts.slice(0, 100),
			texts.slice(100, 200),
			texts.slice(200),
		]);
		expect(items).toHaveLength(250);
		items.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.embedding).toEqual(vectorOf(texts[i]));
		});
	});

	test('vectors are matched by their index, not their place in the answer', async () => {
		server.configure({ shuffleEmbeddings: true });
		const texts = textsOf(5);
		const { items } = await run(texts, embed({ options: { batchSize: 5 } }));
		expect(items.map((i) => i.json.embedding)).toEqual(texts.map(vectorOf));
	});

	test('items whose requests differ (here the model, by expression) go in separate batches', async () => {
		const model = { __rl: true, mode: 'id', value: '={{ $json.model }}' };
		const items = [
			{ json: { text: 'a', model: MODEL } },
			{ json: { text: 'b', model: 'mistral-embed' } },
			{ json: { text: 'c', model: MODEL } },
		];
		const { items: out } = await runNode({
			baseUrl: server.url,
			parameters: embed({ model }),
			items,
		});
		expect(bodies()).toEqual([
			{ model: MODEL, input: ['a', 'c'] },
			{ model: 'mistral-embed', input: ['b'] },
		]);
		expect(out.map((i) => [i.pairedItem.item, i.json.model, i.json.embedding])).toEqual([
			[0, MODEL, vectorOf('a')],
			[1, 'mistral-embed', vectorOf('b')],
			[2, MODEL, vectorOf('c')],
		]);
	});

	test('batches share the Throughput limiter: never more in flight than Max Concurrent Requests', async () => {
		server.configure({ latencyMs: 30 });
		const texts = textsOf(40);
		const { items } = await run(
			texts,
			embed({ options: { batchSize: 2 }, throughput: { maxConcurrency: 3 } }),
		);
		expect(items.filter((i) => !i.error)).toHaveLength(40);
		expect(server.embeddingRequests()).toHaveLength(20);
		expect(server.stats.maxInFlight).toBe(3);
	});
});

describe('options and output', () => {
	test('router fields and fallbacks are sent as the API names them; the provider comes from the header', async () => {
		const parameters = embed({
			options: { encodingFormat: 'float' },
			routerOptions: ROUTER_SET,
		});
		const { items } = await run(['routed text'], parameters);
		expect(bodies()).toEqual([
			{ model: MODEL, input: ['routed text'], encoding_format: 'float', ...ROUTER_SENT },
		]);
		expect(items[0].json.provider).toBe('scaleway');
		expect(server.embeddingRequests()[0].status).toBe(200);
	});

	test('Base64 answers are unpacked: the output is the same numbers', async () => {
		const texts = ['packed one', 'packed two'];
		const { items } = await run(texts, embed({ options: { encodingFormat: 'base64' } }));
		expect(bodies()).toEqual([{ model: MODEL, input: texts, encoding_format: 'base64' }]);
		expect(items.map((i) => i.json.embedding)).toEqual(texts.map(vectorOf));
	});

	test('Include Input Text adds the text; without it the text is not in the output', async () => {
		const { items } = await run(['keep me'], embed({ options: { includeInput: true } }));
		expect(items[0].json).toEqual(single('keep me', { input: 'keep me' }));
	});

	test('Options by expression are read per item: Batch Size and Include Input Text differ by item', async () => {
		const items = [
			{ json: { text: 'a', size: 2, keep: true } },
			{ json: { text: 'b', size: 1, keep: false } },
			{ json: { text: 'c', size: 2, keep: false } },
		];
		const { items: out } = await runNode({
			baseUrl: server.url,
			parameters: embed({
				options: { batchSize: '={{ $json.size }}', includeInput: '={{ $json.keep }}' },
			}),
			items,
		});
		// Two requests in flight at once: the order they arrive in is not the test's concern.
		expect(bodies()).toHaveLength(2);
		expect(bodies()).toEqual(
			expect.arrayContaining([
				{ model: MODEL, input: ['b'] },
				{ model: MODEL, input: ['a', 'c'] },
			]),
		);
		expect(out.map((i) => [i.pairedItem.item, i.json.embedding, i.json.input])).toEqual([
			[0, vectorOf('a'), 'a'],
			[1, vectorOf('b'), undefined],
			[2, vectorOf('c'), undefined],
		]);
	});

	test('Options without expressions are those of each run: a second run with others uses its own', async () => {
		await run(['x', 'y'], embed({ options: { batchSize: 1 } }));
		const { items } = await run(
			['x', 'y'],
			embed({ options: { batchSize: 2, includeInput: true } }),
		);
		expect(bodies()).toEqual([
			{ model: MODEL, input: ['x'] },
			{ model: MODEL, input: ['y'] },
			{ model: MODEL, input: ['x', 'y'] },
		]);
		expect(items.map((i) => i.json.input)).toEqual(['x', 'y']);
	});

	test('usage and cost of a batch are split by tokens: shares add up to the batch’s figures', async () => {
		// mistral-embed costs 0.1 micro-EUR per token: long texts make costs of several micro-EUR.
		const words = (n, w) => Array.from({ length: n }, () => w).join(' ');
		const texts = [words(120, 'alpha'), words(40, 'beta'), words(200, 'gamma')];
		const { items } = await run(
			texts,
			embed({ model: { __rl: true, mode: 'id', value: 'mistral-embed' } }),
		);
		const tokens = 120 + 40 + 200;
		const answer = server.embeddingRequests()[0];
		expect(answer.body.input).toEqual(texts);
		// Token shares in proportion to the texts' lengths in characters: 122.3, 33.8, 203.9.
		const lengths = texts.map((t) => t.length);
		expect(lengths).toEqual([719, 199, 1199]);
		expect(items.map((i) => i.json.usage)).toEqual([
			{ prompt_tokens: 122, total_tokens: 122 },
			{ prompt_tokens: 34, total_tokens: 34 },
			{ prompt_tokens: 204, total_tokens: 204 },
		]);
		expect(items.reduce((sum, i) => sum + i.json.usage.prompt_tokens, 0)).toBe(tokens);
		// The batch cost 36 micro-EUR (360 tokens × 0.1); by tokens 12.2, 3.4, 20.4: the unit left goes to
		// the earlier of the two equal remainders.
		expect(items.map((i) => i.json.cost_eur)).toEqual([0.000012, 0.000004, 0.00002]);
	});

	test('without usage.cost in the answer, cost_eur is null', async () => {
		server.configure({ includeCost: false });
		const { items } = await run(['no cost']);
		expect(items[0].json.cost_eur).toBeNull();
		expect(items[0].json.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
	});
});

describe('bad input fails its item alone, and nothing of it is sent', () => {
	test.each([
		['an empty text', '', 'Text: the text is empty'],
		['blank text', '   ', 'Text: the text is empty'],
		['an object', { a: 1 }, 'Text: not text (an object)'],
	])(
		'%s, Continue On Fail on: an error item in its place, the others embedded in one request',
		async (_name, bad, message) => {
			const items = [
				{ json: { text: 'first' } },
				{ json: { text: bad } },
				{ json: { text: 'third' } },
			];
			const { items: out, error } = await runNode({
				baseUrl: server.url,
				parameters: embed(),
				items,
				continueOnFail: true,
			});
			expect(error).toBeUndefined();
			expect(bodies()).toEqual([{ model: MODEL, input: ['first', 'third'] }]);
			expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(out[0].json.embedding).toEqual(vectorOf('first'));
			expect(out[1].json).toEqual({
				error: message,
				description: expect.any(String),
				httpCode: null,
			});
			expect(out[1].error).toBeInstanceOf(NodeOperationError);
			expect(out[1].error.context.itemIndex).toBe(1);
			expect(out[2].json.embedding).toEqual(vectorOf('third'));
		},
	);

	test('Continue On Fail off: the node fails with the bad item', async () => {
		const { items, error } = await run(['first', '', 'third']);
		expect(items).toEqual([]);
		// RoutingNode rethrows an item's NodeOperationError as a NodeApiError with the same message.
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Text: the text is empty');
		expect(error.httpCode).toBe('none');
		expect(error.context.itemIndex).toBe(1);
		expect(bodies().flatMap((b) => b.input)).not.toContain('');
	});

	test('a Batch Size out of range fails the items, before any request', async () => {
		const { error } = await run(['a'], embed({ options: { batchSize: '={{ 5000 }}' } }));
		expect(error.message).toBe('Options → Batch Size: 5000 is not a whole number from 1 to 2048');
		expect(server.embeddingRequests()).toHaveLength(0);
	});

	test('no model: the item fails naming the field', async () => {
		const { error } = await run(['a'], embed({ model: { __rl: true, mode: 'id', value: '' } }));
		expect(error.message).toBe('Model: no model is selected');
		expect(server.embeddingRequests()).toHaveLength(0);
	});
});

describe('a failed request fails exactly the items it carried', () => {
	const texts = ['a', 'b [[fault:400]]', 'c', 'd'];
	const FAULT_400 =
		"Cortecs API error 400: Invalid request: parameter 'temperature' is not supported by the selected provider";

	test('Continue On Fail on: its items become error items, the other batch’s items are embedded', async () => {
		const { items, error } = await run(texts, embed({ options: { batchSize: 2 } }), {
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(bodies()).toEqual([
			{ model: MODEL, input: ['a', 'b [[fault:400]]'] },
			{ model: MODEL, input: ['c', 'd'] },
		]);
		expect(items.map((i) => i.pairedItem.item)).toEqual([0, 1, 2, 3]);
		for (const index of [0, 1]) {
			expect(items[index].json).toEqual({
				error: FAULT_400,
				description: expect.any(String),
				httpCode: '400',
			});
			expect(items[index].json.description).toMatch(
				/\(This item's text went in one request with 1 other item, input items 0 to 1; that request failed as a whole\.\)$/,
			);
			expect(items[index].error).toBeInstanceOf(NodeApiError);
			expect(items[index].error.context.itemIndex).toBe(index);
		}
		expect(items.slice(2).map((i) => i.json.embedding)).toEqual([vectorOf('c'), vectorOf('d')]);
	});

	test('Continue On Fail off: the node fails with the first item of the failed request', async () => {
		const { items, error } = await run(
			['ok 0', 'ok 1', ...texts],
			embed({ options: { batchSize: 2 } }),
		);
		expect(items).toEqual([]);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(FAULT_400);
		expect(error.httpCode).toBe('400');
		expect(error.context.itemIndex).toBe(2);
	});

	test('a request above the API’s max inputs (413) fails its items with a hint to lower Batch Size', async () => {
		server.configure({ maxEmbeddingInputs: 2 });
		const { items } = await run(textsOf(4), embed({ options: { batchSize: 3 } }), {
			continueOnFail: true,
		});
		expect(items.map((i) => i.json.httpCode ?? 'ok')).toEqual(['413', '413', '413', 'ok']);
		expect(items[0].json.error).toBe(
			'Cortecs API error 413: Request entity too large: at most 2 inputs per request, got 3',
		);
		expect(items[0].json.description).toMatch(/Batch Size/);
	});

	test('an answer with a vector missing fails the items of that request', async () => {
		server.configure({ dropEmbedding: true });
		const { items } = await run(['x', 'y'], embed(), { continueOnFail: true });
		expect(items.map((i) => i.json.error)).toEqual([
			'Cortecs API returned 1 vector for 2 texts',
			'Cortecs API returned 1 vector for 2 texts',
		]);
	});
});

describe('retries', () => {
	test('a 429 on one batch is retried alone; the other batches are sent once', async () => {
		const texts = ['a', 'b [[fault:429:1]]', 'c', 'd', 'e', 'f'];
		const { items, error } = await run(
			texts,
			embed({ options: { batchSize: 2 }, throughput: { maxRetries: 2 } }),
		);
		expect(error).toBeUndefined();
		const sent = server.embeddingRequests().map((r) => [r.body.input, r.status]);
		expect(sent.filter(([input]) => input[0] === 'a')).toEqual([
			[['a', 'b [[fault:429:1]]'], 429],
			[['a', 'b [[fault:429:1]]'], 200],
		]);
		expect(sent.filter(([input]) => input[0] !== 'a').sort()).toEqual([
			[['c', 'd'], 200],
			[['e', 'f'], 200],
		]);
		expect(items.map((i) => [i.pairedItem.item, i.json.embedding])).toEqual(
			texts.map((t, i) => [i, vectorOf(t)]),
		);
	});

	test('a batch that keeps failing reports how often it was sent, for each of its items', async () => {
		const { items } = await run(
			['a [[fault:503]]', 'b'],
			embed({ throughput: { maxRetries: 1 } }),
			{ continueOnFail: true },
		);
		expect(server.embeddingRequests()).toHaveLength(2);
		for (const item of items) {
			expect(item.json.httpCode).toBe('503');
			expect(item.json.description).toMatch(
				/\(Sent 2 times\.\) \(This item's text went in one request/,
			);
		}
	});
});

describe('stopping the execution', () => {
	test('fails the items of a batch in flight and of queued batches at once; nothing more is sent', async () => {
		const controller = new AbortController();
		const texts = ['a [[fault:hang]]', 'b', 'c', 'd', 'e', 'f'];
		const running = run(
			texts,
			embed({ options: { batchSize: 2 }, throughput: { maxConcurrency: 1 } }),
			{
				continueOnFail: true,
				abortSignal: controller.signal,
			},
		);
		while (server.embeddingRequests().length === 0)
			await new Promise((resolve) => setTimeout(resolve, 10));
		controller.abort();
		const { items } = await running;
		expect(server.embeddingRequests().map((r) => r.body.input)).toEqual([
			['a [[fault:hang]]', 'b'],
		]);
		expect(items.map((i) => [i.pairedItem.item, i.json.error])).toEqual(
			texts.map((_, i) => [i, 'Cortecs request cancelled']),
		);
	});
});

describe('Model field', () => {
	test('lists only the catalogue’s embedding models (GET /models?tag=Embedding)', async () => {
		const { results } = await searchModels({
			baseUrl: server.url,
			method: 'searchEmbeddingModels',
		});
		const embedding = MODELS.filter((m) => m.tags.includes('Embedding'))
			.map((m) => m.id)
			.sort();
		expect(results.map((r) => r.value)).toEqual(embedding);
		expect(embedding).toEqual(['mistral-embed', MODEL]);
		// an embedding model has no output to price: its input price alone
		expect(results.map(({ name, description }) => [name, description])).toEqual([
			['mistral-embed — €0.1 · 8k', '€0.1 per 1M tokens · 8k context'],
			['multilingual-e5-large — €0.02 · 512', '€0.02 per 1M tokens · 512 context'],
		]);
		expect(server.requests.filter((r) => r.path === '/v1/models').map((r) => r.query.tag)).toEqual([
			'Embedding',
		]);
	});
});
