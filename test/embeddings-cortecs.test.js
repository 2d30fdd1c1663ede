/**
 * The Cortecs Embeddings sub-node: its supplyData through n8n-core's SupplyDataContext, and the object it
 * supplies called as n8n's vector stores call it (embedDocuments, embedQuery), against the test server.
 * Exact request bodies, vectors in order, retries, errors, bad input, and what the sub-node's panel shows.
 */
const path = require('node:path');
const { NodeApiError, NodeOperationError } = require('n8n-workflow');

const { supplySubNode } = require('../tools/harness/supply-data');
const { useCortecsServer, EMBEDDINGS_SETTINGS } = require('./server-fixture');
const { redirectingBaseUrl } = require('./redirecting-base-url');
const { vectorOf, tokensOf } = require('../tools/cortecs-server/embedding');
const { VALID_KEY } = require('../tools/cortecs-server');
const { ROUTER_SET, ROUTER_SENT } = require('./embedding-router');

/** A valid key that the `echo-auth` fault quotes back in its error body. */
const QUOTED_KEY = 'sk-quoted-key-4567';

const server = useCortecsServer({ keys: { valid: [VALID_KEY, QUOTED_KEY] } }, EMBEDDINGS_SETTINGS);

const MODEL = 'multilingual-e5-large';

/** The sub-node's parameters as the editor stores them; extra fields override. */
const parameters = (extra = {}) => ({
	model: { __rl: true, mode: 'list', value: MODEL },
	options: {},
	...extra,
});

async function embeddings(extra, apiKey) {
	return await supplySubNode('embeddings', {
		baseUrl: server.url,
		apiKey,
		parameters: parameters(extra),
	});
}

const bodies = () => server.embeddingRequests().map((r) => r.body);
const rejection = (promise) =>
	promise.then(
		() => null,
		(e) => e,
	);

/** e5 costs 0.02 EUR per 1M tokens: a request's cost in EUR, as the server computes it. */
const costOf = (texts) => Math.round(texts.reduce((n, t) => n + tokensOf(t), 0) * 0.02) / 1e6;

describe('embedDocuments: Batch Size texts per request, one request after the other', () => {
	test('five texts at Batch Size 2: three requests with exact bodies, the vectors in order', async () => {
		const texts = ['one', 'two', 'three', 'four', 'five'];
		const { response } = await embeddings({ options: { batchSize: 2 } });
		expect(await response.embedDocuments(texts)).toEqual(texts.map(vectorOf));
		expect(bodies()).toEqual([
			{ model: MODEL, input: ['one', 'two'] },
			{ model: MODEL, input: ['three', 'four'] },
			{ model: MODEL, input: ['five'] },
		]);
		expect(server.stats.maxInFlight).toBe(1);
	});

	test('the default Batch Size is 100: 101 texts make two requests', async () => {
		const texts = Array.from({ length: 101 }, (_, i) => `chunk ${i}`);
		const { response } = await embeddings();
		expect(await response.embedDocuments(texts)).toEqual(texts.map(vectorOf));
		expect(bodies().map((b) => b.input.length)).toEqual([100, 1]);
	});

	test('vectors are matched by index, whatever order the answer lists them in', async () => {
		server.configure({ shuffleEmbeddings: true });
		const texts = ['first', 'second', 'third'];
		const { response } = await embeddings();
		expect(await response.embedDocuments(texts)).toEqual(texts.map(vectorOf));
	});

	test('no texts: no request', async () => {
		const { response } = await embeddings();
		expect(await response.embedDocuments([])).toEqual([]);
		expect(bodies()).toEqual([]);
	});

	test('the key goes in the Authorization header of every request', async () => {
		const { response } = await embeddings();
		await response.embedDocuments(['a']);
		expect(server.embeddingRequests()[0].headers.authorization).toBe('Bearer test-key-valid');
	});
});

test('embedQuery: one request with the query as a list of one text; its vector', async () => {
	const { response } = await embeddings();
	expect(await response.embedQuery('Where is the EU AI Act?')).toEqual(
		vectorOf('Where is the EU AI Act?'),
	);
	expect(bodies()).toEqual([{ model: MODEL, input: ['Where is the EU AI Act?'] }]);
});

test('the Routing fields go into every request under their API names; lists also as comma-separated text', async () => {
	const { response } = await embeddings({
		options: { batchSize: 1 },
		routerOptions: { ...ROUTER_SET, allowedProviders: 'ionos, scaleway' },
	});
	await response.embedDocuments(['a', 'b']);
	expect(bodies()).toEqual([
		{ model: MODEL, ...ROUTER_SENT, input: ['a'] },
		{ model: MODEL, ...ROUTER_SENT, input: ['b'] },
	]);
});

test('the panel shows each call as n8n shows its own embeddings: the texts in; the vectors, usage and cost out', async () => {
	const { response, runData } = await embeddings({ options: { batchSize: 2 } });
	const texts = ['alpha', 'beta', 'gamma'];
	await response.embedDocuments(texts);
	await response.embedQuery('delta');
	const runs = runData();
	expect(runs.map((r) => r.inputOverride)).toEqual([
		{ ai_embedding: [[{ json: { documents: texts } }]] },
		{ ai_embedding: [[{ json: { query: 'delta' } }]] },
	]);
	const tokens = (list) => list.reduce((n, t) => n + tokensOf(t), 0);
	expect(runs.map((r) => r.data)).toEqual([
		{
			ai_embedding: [
				[
					{
						json: {
							response: texts.map(vectorOf),
							usage: { prompt_tokens: tokens(texts), total_tokens: tokens(texts) },
							cost_eur: costOf(['alpha', 'beta']) + costOf(['gamma']),
						},
					},
				],
			],
		},
		{
			ai_embedding: [
				[
					{
						json: {
							response: vectorOf('delta'),
							usage: { prompt_tokens: tokensOf('delta'), total_tokens: tokensOf('delta') },
							cost_eur: costOf(['delta']),
						},
					},
				],
			],
		},
	]);
});

describe('retries', () => {
	test('a 429 is retried after its Retry-After; the vectors come back', async () => {
		const texts = ['a [[fault:429:1]]', 'b'];
		const { response } = await embeddings();
		expect(await response.embedDocuments(texts)).toEqual(texts.map(vectorOf));
		expect(server.embeddingRequests().map((r) => r.status)).toEqual([429, 200]);
	});

	test('a 503 is retried up to Max Retries, then fails saying how often it was sent', async () => {
		const { response } = await embeddings({ options: { maxRetries: 1 } });
		const error = await rejection(response.embedDocuments(['a [[fault:503]]']));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('503');
		expect(error.message).toBe(
			'Cortecs API error 503: Service unavailable: all providers for this model are overloaded',
		);
		expect(error.description).toMatch(/\(Sent 2 times\.\)$/);
		expect(server.embeddingRequests()).toHaveLength(2);
	});

	test('Max Retries 0: one send', async () => {
		const { response } = await embeddings({ options: { maxRetries: 0 } });
		await expect(response.embedDocuments(['a [[fault:500]]'])).rejects.toThrow(
			/Cortecs API error 500/,
		);
		expect(server.embeddingRequests()).toHaveLength(1);
	});
});

describe('API errors', () => {
	test('a 401 is a NodeApiError with the API’s message, sent once, without the key; the panel shows it', async () => {
		const { response, runData } = await embeddings({}, 'sk-wrong-key-123');
		const error = await rejection(response.embedDocuments(['a']));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('401');
		expect(error.message).toBe('Cortecs API error 401: Invalid API key');
		expect(error.description).toMatch(/The API key is invalid/);
		expect(server.embeddingRequests()).toHaveLength(1);
		expect(JSON.stringify({ ...error, message: error.message })).not.toContain('sk-wrong-key-123');
		const [run] = runData();
		expect(run.error.message).toBe('Cortecs API error 401: Invalid API key');
	});

	test('a key the API quotes back is redacted from the error and the panel', async () => {
		const { response, runData } = await embeddings({}, QUOTED_KEY);
		const error = await rejection(response.embedDocuments(['a [[fault:echo-auth]]']));
		expect(error).toBeInstanceOf(NodeApiError);
		const shown = JSON.stringify({ ...error, message: error.message, run: runData() });
		expect(shown).toContain('[redacted]');
		expect(shown).not.toContain(QUOTED_KEY);
	});

	test('an answer without a vector for every text fails as a NodeApiError', async () => {
		server.configure({ dropEmbedding: true });
		const { response } = await embeddings();
		const error = await rejection(response.embedDocuments(['a', 'b']));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Cortecs API returned 1 vector for 2 texts');
	});

	test('a redirect is not followed: the other host sees no request and no key; the hint names the Base URL', async () => {
		const redirect = await redirectingBaseUrl();
		try {
			const { response } = await supplySubNode('embeddings', {
				baseUrl: redirect.baseUrl,
				parameters: parameters({ options: { maxRetries: 0 } }),
			});
			const error = await rejection(response.embedQuery('a'));
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.httpCode).toBe('307');
			expect(error.description).toBe(
				`The Base URL answers with a redirect to ${redirect.target}/v1/embeddings. Set the Base URL of the Cortecs API credential to the address of the API itself (https://api.cortecs.ai/v1).`,
			);
			expect(redirect.seen).toEqual([]);
		} finally {
			redirect.close();
		}
	});

	test('nothing listening at the Base URL: a NodeApiError naming the cause', async () => {
		const { response } = await supplySubNode('embeddings', {
			baseUrl: 'http://127.0.0.1:9/v1',
			parameters: parameters({ options: { maxRetries: 0 } }),
		});
		const error = await rejection(response.embedQuery('a'));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'Could not reach the Cortecs API: connection refused (ECONNREFUSED)',
		);
	});
});

describe('bad input never reaches the API', () => {
	test.each([
		[
			'no model',
			{ model: { __rl: true, mode: 'list', value: '' } },
			'Model: no model is selected',
			'Pick a model from the list, or type a model id such as multilingual-e5-large. If the id comes from an expression, check that the field exists on the input item.',
		],
		[
			'Batch Size above 2048',
			{ options: { batchSize: 3000 } },
			'Options → Batch Size: 3000 is not a whole number from 1 to 2048',
			'Set a whole number from 1 to 2048, or remove the option to use its default (100).',
		],
		[
			'Max Retries not a number (expression)',
			{ options: { maxRetries: '={{ "many" }}' } },
			'Options → Max Retries: "many" is not a whole number from 0 to 10',
			'Set a whole number from 0 to 10, or remove the option to use its default (2).',
		],
		[
			'Allowed Providers not texts (expression)',
			{ routerOptions: { allowedProviders: '={{ [1, 2] }}' } },
			'Routing → Allowed Providers: not a list of texts',
			'Give a list of strings, or remove the option.',
		],
	])('%s: supplyData fails with a NodeOperationError', async (_, extra, message, description) => {
		const error = await rejection(embeddings(extra));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect([error.message, error.description]).toEqual([message, description]);
		expect(server.embeddingRequests()).toEqual([]);
	});

	test('an empty text fails the call before any request, naming which text', async () => {
		const { response } = await embeddings();
		const error = await rejection(response.embedDocuments(['a', '  ', 'c']));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Text 2 of 3 to embed is empty');
		expect(error.description).toMatch(
			/^The vector store handed over a text that cannot be embedded/,
		);
		expect(server.embeddingRequests()).toEqual([]);
	});
});

test('the sub-node supplies embeddings to vector stores: no inputs, one ai_embedding output, the Cortecs credential', () => {
	const { EmbeddingsCortecs } = require(
		path.join(__dirname, '..', 'dist', 'nodes', 'EmbeddingsCortecs', 'EmbeddingsCortecs.node.js'),
	);
	const { description } = new EmbeddingsCortecs();
	expect([description.inputs, description.outputs, description.credentials]).toEqual([
		[],
		['ai_embedding'],
		[{ name: 'cortecsApi', required: true }],
	]);
	expect(description.usableAsTool).toBeUndefined();
	expect(description.properties.map((p) => p.name)).toEqual(['model', 'options', 'routerOptions']);
});
