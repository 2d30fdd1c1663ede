'use strict';

// POST /v1/embeddings of the test server against notes.md (Embeddings): body fields, the answer's shape,
// usage with cost in micro-EUR, the x-cortecs-provider header, error shapes, capacity and the
// max-inputs limit. Over real HTTP on loopback.

const { VALID_KEY, EMPTY_BALANCE_KEY } = require('../tools/cortecs-server');
const { useCortecsServer, EMBEDDINGS_SETTINGS } = require('./server-fixture');
const { vectorOf, DIMENSIONS } = require('../tools/cortecs-server/embedding');

const server = useCortecsServer({}, { ...EMBEDDINGS_SETTINGS, retryAfter: '1' });

async function embed(body, { key = VALID_KEY } = {}) {
	const res = await fetch(server.url + '/embeddings', {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			...(key ? { authorization: `Bearer ${key}` } : {}),
		},
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	return { res, json: await res.json() };
}

const E5 = 'multilingual-e5-large';

describe('answers', () => {
	test('a list of inputs: one vector per input, by index, usage with cost, provider in the header only', async () => {
		const { res, json } = await embed({ model: E5, input: ['first text here', 'second'] });
		expect(res.status).toBe(200);
		expect(res.headers.get('x-cortecs-provider')).toBe('ionos');
		expect(res.headers.get('x-cortecs-model')).toBe(E5);
		expect(json).toEqual({
			id: 'emb-00000001',
			object: 'list',
			created: expect.any(Number),
			model: E5,
			data: [
				{ index: 0, object: 'embedding', embedding: vectorOf('first text here') },
				{ index: 1, object: 'embedding', embedding: vectorOf('second') },
			],
			// 3 + 1 words; e5 costs 0.02 micro-EUR per token: 0.08 rounds to 0.
			usage: { prompt_tokens: 4, completion_tokens: 0, total_tokens: 4, cost: 0 },
		});
	});

	test('vectors depend on the text only, have DIMENSIONS values, and are multiples of 1/1024 in [-1, 1]', () => {
		expect(vectorOf('same')).toEqual(vectorOf('same'));
		expect(vectorOf('same')).not.toEqual(vectorOf('other'));
		expect(vectorOf('same')).toHaveLength(DIMENSIONS);
		for (const v of [...vectorOf('a'), ...vectorOf('longer text')]) {
			expect(Number.isInteger(v * 1024) && v >= -1 && v <= 1).toBe(true);
		}
		// Pinned, so a change of the derivation shows here and not only as changed expectations elsewhere.
		expect(vectorOf('hello').map((v) => v * 1024)).toEqual([
			758, -984, -640, -228, -9, 729, 308, 166,
		]);
	});

	test('a string input is one input; cost in micro-EUR from the catalogue price', async () => {
		const text = Array.from({ length: 50 }, () => 'word').join(' ');
		const { json } = await embed({ model: 'mistral-embed', input: text });
		expect(json.data).toEqual([{ index: 0, object: 'embedding', embedding: vectorOf(text) }]);
		expect(json.usage).toEqual({
			prompt_tokens: 50,
			completion_tokens: 0,
			total_tokens: 50,
			cost: 5,
		});
	});

	test('encoding_format base64: little-endian float32 of the same numbers', async () => {
		const { json } = await embed({ model: E5, input: ['packed'], encoding_format: 'base64' });
		const bytes = Buffer.from(json.data[0].embedding, 'base64');
		const numbers = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
		expect(numbers).toEqual(vectorOf('packed'));
	});

	test('router fields choose the provider as for chat; fallbacks are accepted', async () => {
		let { res } = await embed({
			model: E5,
			input: ['x'],
			preference: 'cost',
			fallbacks: ['mistral-embed'],
		});
		expect(res.headers.get('x-cortecs-provider')).toBe('scaleway');
		({ res } = await embed({
			model: E5,
			input: ['x'],
			allowed_providers: ['scaleway'],
			eu_native: true,
		}));
		expect(res.headers.get('x-cortecs-provider')).toBe('scaleway');
	});

	test('includeCost: false leaves usage.cost out; shuffle and drop settings change data', async () => {
		server.configure({ includeCost: false, shuffleEmbeddings: true });
		let { json } = await embed({ model: E5, input: ['a', 'b'] });
		expect(json.usage).toEqual({ prompt_tokens: 2, completion_tokens: 0, total_tokens: 2 });
		expect(json.data.map((d) => d.index)).toEqual([1, 0]);
		server.configure({ shuffleEmbeddings: false, dropEmbedding: true });
		({ json } = await embed({ model: E5, input: ['a', 'b'] }));
		expect(json.data.map((d) => d.index)).toEqual([0]);
	});
});

describe('errors', () => {
	const error = (message, param, code) => ({
		error: { message, type: 'invalid_request_error', param, code },
	});

	test.each([
		[
			'no model',
			{ input: ['x'] },
			400,
			error("Missing required parameter: 'model'", 'model', 'missing_required_parameter'),
		],
		[
			'no input',
			{ model: E5 },
			400,
			error("Missing required parameter: 'input'", 'input', 'missing_required_parameter'),
		],
		[
			'an empty list',
			{ model: E5, input: [] },
			400,
			error("'input' must be a string or a non-empty array of strings", 'input', 'invalid_type'),
		],
		[
			'an empty text',
			{ model: E5, input: ['a', ''] },
			400,
			error("'input[1]' must not be empty", 'input', 'invalid_value'),
		],
		[
			'a number',
			{ model: E5, input: ['a', 3] },
			400,
			error("'input[1]' must be a string", 'input', 'invalid_type'),
		],
		[
			'a bad encoding',
			{ model: E5, input: ['a'], encoding_format: 'int8' },
			400,
			error("'encoding_format' must be 'float' or 'base64'", 'encoding_format', 'invalid_value'),
		],
		[
			'an unknown model',
			{ model: 'nope', input: ['a'] },
			404,
			error("Model 'nope' not found", 'model', 'model_not_found'),
		],
		[
			'a chat model',
			{ model: 'mistral-small-2503', input: ['a'] },
			400,
			error("Model 'mistral-small-2503' is not an embedding model", 'model', 'model_not_supported'),
		],
		[
			'no allowed provider',
			{ model: E5, input: ['a'], allowed_providers: ['mistral'] },
			404,
			error('Provider not in allowed providers', 'allowed_providers', 'provider_not_allowed'),
		],
		[
			'bad fallbacks',
			{ model: E5, input: ['a'], fallbacks: 'mistral-embed' },
			422,
			{
				detail: [
					{
						loc: ['body', 'fallbacks'],
						msg: 'Input should be a valid list of strings',
						type: 'list_type',
					},
				],
			},
		],
	])('%s', async (_name, body, status, payload) => {
		const { res, json } = await embed(body);
		expect(res.status).toBe(status);
		expect(json).toEqual(payload);
	});

	test('more inputs than maxEmbeddingInputs (default 2048) -> 413', async () => {
		const inputs = (n) => Array.from({ length: n }, (_, i) => `t${i}`);
		expect((await embed({ model: E5, input: inputs(2048) })).res.status).toBe(200);
		const { res, json } = await embed({ model: E5, input: inputs(2049) });
		expect(res.status).toBe(413);
		expect(json).toEqual({
			error: {
				message: 'Request entity too large: at most 2048 inputs per request, got 2049',
				type: 'invalid_request_error',
				param: 'input',
				code: 'request_too_large',
			},
		});
		server.configure({ maxEmbeddingInputs: 3 });
		expect((await embed({ model: E5, input: inputs(4) })).res.status).toBe(413);
	});

	test('keys as for chat: missing -> 401, empty balance -> 401 with its message', async () => {
		expect((await embed({ model: E5, input: ['a'] }, { key: null })).json.error.code).toBe(
			'invalid_api_key',
		);
		expect(
			(await embed({ model: E5, input: ['a'] }, { key: EMPTY_BALANCE_KEY })).json.error.code,
		).toBe('insufficient_balance');
	});

	test('fault markers in any input, counted per list of inputs', async () => {
		const body = { model: E5, input: ['fine', 'flaky [[fault:503:1]]'] };
		let { res } = await embed(body);
		expect(res.status).toBe(503);
		expect(res.headers.get('retry-after')).toBe('1');
		({ res } = await embed(body));
		expect(res.status).toBe(200);
	});
});

describe('capacity', () => {
	test('chat and embeddings share it: above it 429 with Retry-After, counted in stats', async () => {
		server.configure({ capacity: 1, latencyMs: 200 });
		const results = await Promise.all([
			embed({ model: E5, input: ['a'] }),
			embed({ model: E5, input: ['b'] }),
		]);
		expect(results.map((r) => r.res.status).sort()).toEqual([200, 429]);
		const limited = results.find((r) => r.res.status === 429);
		expect(limited.res.headers.get('retry-after')).toBe('1');
		expect(limited.json.error.code).toBe('rate_limit_exceeded');
		expect(server.stats).toMatchObject({
			total: 2,
			count429: 1,
			maxInFlight: 1,
			countByStatus: { 200: 1, 429: 1 },
		});
		expect(
			server
				.embeddingRequests()
				.map((r) => r.status)
				.sort(),
		).toEqual([200, 429]);
	});
});
