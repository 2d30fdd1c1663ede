'use strict';

// Checks the Cortecs-compatible test server against the Cortecs API contract (the chat-completions
// OpenAPI and the documented models, headers, cost, streaming and errors), over real HTTP on loopback.

const http = require('node:http');
const path = require('node:path');
const { spawn, fork } = require('node:child_process');
const {
	startCortecsServer,
	MODELS,
	VALID_KEY,
	MANAGEMENT_KEY,
	EMPTY_BALANCE_KEY,
} = require('../tools/cortecs-server');
const { latencies } = require('../tools/cortecs-server/latency');
const { useCortecsServer } = require('./server-fixture');
const { png, pdf } = require('../tools/example-files');

const SERVER_JS = path.join(__dirname, '..', 'tools', 'cortecs-server', 'index.js');

const server = useCortecsServer(
	{},
	{
		latencyMs: 0,
		latencySigma: 0,
		streamGapMs: 0,
		capacity: Infinity,
		retryAfter: '1',
		includeCost: true,
	},
);

function chat(body, { key = VALID_KEY, raw, headers = {}, signal } = {}) {
	return fetch(server.url + '/chat/completions', {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			...(key ? { authorization: `Bearer ${key}` } : {}),
			...headers,
		},
		body: raw !== undefined ? raw : JSON.stringify(body),
		signal,
	});
}

const dataUrl = (mime, bytes) => `data:${mime};base64,${bytes.toString('base64')}`;

function ask(content, extra = {}) {
	return { model: 'mistral-small-2503', messages: [{ role: 'user', content }], ...extra };
}

async function chatJson(body, opts) {
	const res = await chat(body, opts);
	return { res, json: await res.json() };
}

/** Parses an SSE body into the JSON payloads (and the literal '[DONE]'). */
function parseSse(text) {
	expect(text.endsWith('\n\n')).toBe(true);
	return text
		.split('\n\n')
		.filter((block) => block !== '')
		.map((block) => {
			expect(block.startsWith('data: ')).toBe(true);
			const data = block.slice('data: '.length);
			return data === '[DONE]' ? data : JSON.parse(data);
		});
}

async function waitFor(predicate, timeoutMs = 2000) {
	const until = Date.now() + timeoutMs;
	while (!predicate()) {
		if (Date.now() > until) throw new Error('condition not met in time');
		await new Promise((r) => setTimeout(r, 10));
	}
}

describe('GET /v1/models', () => {
	async function models(query = '', headers = {}) {
		const res = await fetch(server.url + '/models' + query, { headers });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/json');
		const body = await res.json();
		expect(body.object).toBe('list');
		return body.data;
	}

	test('needs no auth and defaults to the Instruct tag', async () => {
		const data = await models();
		expect(data.length).toBeGreaterThanOrEqual(6);
		expect(data.every((m) => m.tags.includes('Instruct'))).toBe(true);
		const ids = data.map((m) => m.id);
		expect(ids).toContain('mistral-small-2503');
		expect(ids).not.toContain('mistral-ocr-2505');
		expect(ids).not.toContain('multilingual-e5-large');
	});

	test('items have the documented shape', async () => {
		const data = await models('?tag=Instruct');
		for (const m of data) {
			expect(Object.keys(m).sort()).toEqual(
				[
					'context_size',
					'created',
					'description',
					'id',
					'input_modalities',
					'max_output_tokens',
					'object',
					'output_modalities',
					'owned_by',
					'pricing',
					'providers',
					'supported_features',
					'tags',
				].sort(),
			);
			expect(m.object).toBe('model');
			expect(typeof m.created).toBe('number');
			expect(m.description === null || typeof m.description === 'string').toBe(true);
			expect(m.pricing.currency).toBe('EUR');
			expect(typeof m.pricing.input_token).toBe('number');
			expect(typeof m.pricing.output_token).toBe('number');
			expect(m.providers.length).toBeGreaterThan(0);
		}
		expect(data.find((m) => m.id === 'mistral-small-2503').pricing).toMatchObject({
			input_token: 0.1,
			output_token: 0.3,
		});
		expect(data.some((m) => m.description === null)).toBe(true);
	});

	test('the catalogue covers the feature combinations tests need', () => {
		const instruct = MODELS.filter((m) => m.tags.includes('Instruct'));
		expect(instruct.some((m) => !m.supported_features.includes('tools'))).toBe(true);
		expect(instruct.some((m) => !m.supported_features.includes('json_mode'))).toBe(true);
		expect(instruct.some((m) => m.supported_features.includes('reasoning'))).toBe(true);
		expect(MODELS.filter((m) => m.tags.includes('Tools')).length).toBeGreaterThanOrEqual(2);
		// Files: chat models that read images, images and documents, and neither; each tag's modality listed.
		const reads = (m, modality) => m.input_modalities.includes(modality);
		expect(instruct.some((m) => reads(m, 'image') && !reads(m, 'document'))).toBe(true);
		expect(instruct.some((m) => reads(m, 'image') && reads(m, 'document'))).toBe(true);
		expect(instruct.some((m) => !reads(m, 'image') && !reads(m, 'document'))).toBe(true);
		for (const m of MODELS.filter((m) => m.tags.includes('Image')))
			expect(reads(m, 'image')).toBe(true);
		for (const m of MODELS.filter((m) => m.tags.includes('Document')))
			expect(reads(m, 'document')).toBe(true);
		expect(() => {
			'use strict';
			MODELS[0].pricing.input_token = 99;
		}).toThrow();
	});

	test('repeated tag keys require every tag', async () => {
		const data = await models('?tag=Reasoning&tag=Tools');
		expect(data.map((m) => m.id)).toEqual(['gpt-oss-120b']);
		const embedding = await models('?tag=Embedding');
		expect(embedding.map((m) => m.id)).toEqual(['multilingual-e5-large', 'mistral-embed']);
	});

	test('tag[]= and tag[0]= forms are ignored (default tag applies)', async () => {
		const defaults = (await models()).map((m) => m.id);
		expect((await models('?tag[]=Embedding')).map((m) => m.id)).toEqual(defaults);
		expect((await models('?tag[0]=Embedding')).map((m) => m.id)).toEqual(defaults);
	});

	test('currency=USD converts prices', async () => {
		const eur = await models('?tag=Reasoning');
		const usd = await models('?tag=Reasoning&currency=USD');
		expect(usd.map((m) => m.id)).toEqual(eur.map((m) => m.id));
		const e = eur.find((m) => m.id === 'gpt-oss-120b');
		const u = usd.find((m) => m.id === 'gpt-oss-120b');
		expect(u.pricing).toEqual({
			input_token: Math.round(e.pricing.input_token * 1.1 * 1e4) / 1e4,
			output_token: Math.round(e.pricing.output_token * 1.1 * 1e4) / 1e4,
			cache_read_cost: Math.round(e.pricing.cache_read_cost * 1.1 * 1e4) / 1e4,
			currency: 'USD',
		});
		expect(u.pricing.input_token).toBe(0.154);
	});

	test('unknown paths and wrong methods answer FastAPI style', async () => {
		const missing = await fetch(server.url + '/nope');
		expect(missing.status).toBe(404);
		expect(await missing.json()).toEqual({ detail: 'Not Found' });
		const wrong = await fetch(server.url + '/models', { method: 'POST' });
		expect(wrong.status).toBe(405);
	});
});

describe('GET /v1/manage/api-keys', () => {
	const keys = (key) =>
		fetch(server.url + '/manage/api-keys', {
			headers: key ? { authorization: `Bearer ${key}` } : {},
		});

	test.each([
		['missing', undefined, 401, { error: 'Invalid API key' }],
		['unknown', 'nope', 401, { error: 'Invalid API key' }],
		['ordinary', VALID_KEY, 403, { error: 'Forbidden: management key required' }],
		['empty balance', EMPTY_BALANCE_KEY, 403, { error: 'Forbidden: management key required' }],
		['management', MANAGEMENT_KEY, 200, { api_keys: [{ id: 'k1', name: 'default' }] }],
	])('%s key -> %i', async (_label, key, status, body) => {
		const res = await keys(key);
		expect(res.status).toBe(status);
		expect(await res.json()).toEqual(body);
	});
});

describe('POST /v1/chat/completions: auth and validation', () => {
	test('missing and unknown keys -> 401 OpenAI-shaped', async () => {
		const expected = {
			error: {
				message: 'Invalid API key',
				type: 'authentication_error',
				param: null,
				code: 'invalid_api_key',
			},
		};
		for (const key of [null, 'sk-wrong']) {
			const { res, json } = await chatJson(ask('hi'), { key });
			expect(res.status).toBe(401);
			expect(json).toEqual(expected);
			expect(res.headers.get('x-cortecs-provider')).toBeNull();
		}
	});

	test('empty prepaid balance -> 401 with its own message', async () => {
		const { res, json } = await chatJson(ask('hi'), { key: EMPTY_BALANCE_KEY });
		expect(res.status).toBe(401);
		expect(json.error.message).toBe('Insufficient balance: top up your prepaid credits');
	});

	test('the management key also works for chat', async () => {
		const { res, json } = await chatJson(ask('hi'), { key: MANAGEMENT_KEY });
		expect(res.status).toBe(200);
		expect(json.choices[0].message.content).toBe('Echo: hi');
	});

	test.each([
		['body is not JSON', { raw: '{nope' }],
		['model missing', { body: { messages: [{ role: 'user', content: 'x' }] } }],
		['messages missing', { body: { model: 'mistral-small-2503' } }],
		['messages empty', { body: { model: 'mistral-small-2503', messages: [] } }],
		['messages not an array', { body: { model: 'mistral-small-2503', messages: 'hi' } }],
	])('400 when %s', async (_label, { body, raw }) => {
		const { res, json } = await chatJson(body, { raw });
		expect(res.status).toBe(400);
		expect(Object.keys(json.error).sort()).toEqual(['code', 'message', 'param', 'type']);
		expect(json.error).toMatchObject({
			message: expect.any(String),
			type: 'invalid_request_error',
			code: expect.any(String),
		});
	});

	test('unknown model -> 404 model_not_found', async () => {
		const { res, json } = await chatJson({
			model: 'gpt-5',
			messages: [{ role: 'user', content: 'x' }],
		});
		expect(res.status).toBe(404);
		expect(json).toEqual({
			error: {
				message: "Model 'gpt-5' not found",
				type: 'invalid_request_error',
				param: 'model',
				code: 'model_not_found',
			},
		});
	});

	test('unknown extra fields are accepted', async () => {
		const { res } = await chatJson(
			ask('x', { safe_prompt: true, whatever: { a: 1 }, allow_quantization: false }),
		);
		expect(res.status).toBe(200);
	});

	test('allowed_providers without intersection -> 404', async () => {
		for (const allowed of [['google'], ['no-such-provider'], []]) {
			const { res, json } = await chatJson(ask('x', { allowed_providers: allowed }));
			expect(res.status).toBe(404);
			expect(json.error.message).toBe('Provider not in allowed providers');
		}
	});

	test('allowed_providers ignores unknown names and picks a surviving provider', async () => {
		const { res } = await chatJson(ask('x', { allowed_providers: ['bogus', 'ovh', 'scaleway'] }));
		expect(res.status).toBe(200);
		expect(res.headers.get('x-cortecs-provider')).toBe('scaleway'); // model order, not request order
	});

	test('eu_native drops non-EU-native providers', async () => {
		const base = { model: 'mistral-large-2411', messages: [{ role: 'user', content: 'x' }] };
		expect((await chat(base)).headers.get('x-cortecs-provider')).toBe('azure_sc');
		expect((await chat({ ...base, eu_native: true })).headers.get('x-cortecs-provider')).toBe(
			'mistral',
		);
		const res = await chat({ ...base, eu_native: true, allowed_providers: ['google', 'azure_sc'] });
		expect(res.status).toBe(404);
		expect((await res.json()).error.message).toBe('Provider not in allowed providers');
	});

	test('preference cost picks the last surviving provider', async () => {
		const speed = await chat(ask('x', { preference: 'speed' }));
		const cost = await chat(ask('x', { preference: 'cost' }));
		expect(speed.headers.get('x-cortecs-provider')).toBe('mistral');
		expect(cost.headers.get('x-cortecs-provider')).toBe('ovh');
	});
});

describe('POST /v1/chat/completions: deterministic answers', () => {
	test('echoes the last user message with headers and no body provider', async () => {
		const before = Math.floor(Date.now() / 1000);
		const { res, json } = await chatJson({
			model: 'mistral-small-2503',
			messages: [
				{ role: 'system', content: 'Be brief.' },
				{ role: 'user', content: 'first question' },
				{ role: 'assistant', content: 'answer' },
				{ role: 'user', content: 'Hello   Cortecs!' },
			],
		});
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/json');
		expect(res.headers.get('x-cortecs-provider')).toBe('mistral');
		expect(res.headers.get('x-cortecs-model')).toBe('mistral-small-2503');
		expect(Object.keys(json)).toEqual(['id', 'object', 'created', 'model', 'choices', 'usage']);
		expect(json.id).toMatch(/^chatcmpl-/);
		expect(json.object).toBe('chat.completion');
		expect(json.created).toBeGreaterThanOrEqual(before);
		expect(json.model).toBe('mistral-small-2503');
		expect(json.provider).toBeUndefined();
		expect(json.choices).toEqual([
			{
				index: 0,
				message: { role: 'assistant', content: 'Echo: Hello   Cortecs!' },
				logprobs: null,
				finish_reason: 'stop',
			},
		]);
	});

	test('completion ids are unique and restart after reset()', async () => {
		const a = (await chatJson(ask('x'))).json.id;
		const b = (await chatJson(ask('x'))).json.id;
		expect(a).not.toBe(b);
		server.reset();
		expect((await chatJson(ask('x'))).json.id).toBe(a);
	});

	test('content part arrays: text parts are joined by newlines', async () => {
		const { json } = await chatJson(
			ask([
				{ type: 'text', text: 'look at' },
				{ type: 'image_url', image_url: { url: dataUrl('image/png', png(2, 2)) } },
				{ type: 'text', text: 'this' },
			]),
		);
		expect(json.choices[0].message.content).toBe('Echo: look at\nthis');
	});

	test('no user message -> empty echo', async () => {
		const { json } = await chatJson({
			model: 'mistral-small-2503',
			messages: [{ role: 'system', content: 'sys' }],
		});
		expect(json.choices[0].message.content).toBe('Echo: ');
	});

	test('n choices', async () => {
		const { json } = await chatJson(ask('hi', { n: 3 }));
		expect(json.choices.map((c) => [c.index, c.message.content])).toEqual([
			[0, 'Echo: hi'],
			[1, 'Echo: hi (#2)'],
			[2, 'Echo: hi (#3)'],
		]);
	});

	test('stop cuts at the first stop string', async () => {
		const { json } = await chatJson(ask('alpha beta gamma delta', { stop: ['delta', 'beta'] }));
		expect(json.choices[0].message.content).toBe('Echo: alpha ');
		expect(json.choices[0].finish_reason).toBe('stop');
	});

	test('max_tokens truncates by words with finish_reason length', async () => {
		const { json } = await chatJson(ask('one two three four', { max_tokens: 3 }));
		expect(json.choices[0]).toMatchObject({
			message: { content: 'Echo: one two' },
			finish_reason: 'length',
		});
		const roomy = await chatJson(ask('one two', { max_tokens: 3 }));
		expect(roomy.json.choices[0]).toMatchObject({
			message: { content: 'Echo: one two' },
			finish_reason: 'stop',
		});
	});

	test('response_format json_object', async () => {
		const { json } = await chatJson(ask('say "hi"', { response_format: { type: 'json_object' } }));
		expect(JSON.parse(json.choices[0].message.content)).toEqual({ echo: 'say "hi"' });
	});

	test('response_format json_schema fills properties in order', async () => {
		const schema = {
			type: 'object',
			properties: {
				title: { type: 'string' },
				words: { type: 'integer' },
				score: { type: 'number' },
				ok: { type: 'boolean' },
				tags: { type: 'array', items: { type: 'string' } },
				meta: { type: 'object' },
				maybe: { type: ['string', 'null'] },
			},
		};
		const { json } = await chatJson(
			ask('three little words', {
				response_format: { type: 'json_schema', json_schema: { name: 'x', schema } },
			}),
		);
		const content = json.choices[0].message.content;
		expect(content).toBe(
			JSON.stringify({
				title: 'three little words',
				words: 3,
				score: 3,
				ok: true,
				tags: [],
				meta: {},
				maybe: 'three little words',
			}),
		);
	});

	test('tools -> tool_calls', async () => {
		const tools = [
			{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
			{ type: 'function', function: { name: 'get_time', parameters: { type: 'object' } } },
		];
		const { json } = await chatJson(ask('Vienna today', { tools }));
		expect(json.choices[0]).toEqual({
			index: 0,
			message: {
				role: 'assistant',
				content: null,
				tool_calls: [
					{
						id: 'call_1',
						type: 'function',
						function: { name: 'get_weather', arguments: '{"input":"Vienna today"}' },
					},
				],
			},
			logprobs: null,
			finish_reason: 'tool_calls',
		});

		const parallel = await chatJson(ask('Vienna today', { tools, parallel_tool_calls: true }));
		expect(parallel.json.choices[0].message.tool_calls.map((c) => [c.id, c.function.name])).toEqual(
			[
				['call_2', 'get_weather'],
				['call_3', 'get_time'],
			],
		);

		const forced = await chatJson(
			ask('x', { tools, tool_choice: { type: 'function', function: { name: 'get_time' } } }),
		);
		expect(forced.json.choices[0].message.tool_calls[0].function.name).toBe('get_time');

		const none = await chatJson(ask('x', { tools, tool_choice: 'none' }));
		expect(none.json.choices[0]).toMatchObject({
			message: { content: 'Echo: x' },
			finish_reason: 'stop',
		});
		expect(none.json.choices[0].message.tool_calls).toBeUndefined();
	});

	test('a conversation ending in a tool result gets a text answer, unless a tool is required', async () => {
		const tools = [{ type: 'function', function: { name: 'get_weather' } }];
		const messages = [
			{ role: 'user', content: 'Vienna today' },
			{
				role: 'assistant',
				content: null,
				tool_calls: [
					{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
				],
			},
			{ role: 'tool', tool_call_id: 'call_1', content: '21 degrees' },
		];
		const done = await chatJson({ model: 'mistral-small-2503', messages, tools });
		expect(done.json.choices[0]).toMatchObject({
			message: { content: 'Echo: Vienna today\nTool results: 21 degrees' },
			finish_reason: 'stop',
		});
		const again = await chatJson({
			model: 'mistral-small-2503',
			messages,
			tools,
			tool_choice: 'required',
		});
		expect(again.json.choices[0].finish_reason).toBe('tool_calls');
	});

	test("a system message with LangChain's format instructions gets JSON that fits the schema, in a json block", async () => {
		const schema = {
			type: 'object',
			properties: {
				customer: { type: 'string' },
				words: { type: 'number' },
				urgent: { type: 'boolean' },
			},
		};
		const system = `You must format your output as a JSON value that adheres to a given "JSON Schema" instance.\n\nHere is the JSON Schema instance your output must adhere to. Include the enclosing markdown codeblock:\n\`\`\`json\n${JSON.stringify(schema)}\n\`\`\`\n`;
		const { json } = await chatJson({
			model: 'mistral-small-2503',
			messages: [
				{ role: 'system', content: system },
				{ role: 'user', content: 'Anna needs help now' },
			],
		});
		expect(json.choices[0].message.content).toBe(
			'```json\n{"customer":"Anna needs help now","words":4,"urgent":true}\n```',
		);
	});

	test('a tool message must answer an earlier tool call (400 otherwise, as OpenAI)', async () => {
		const call = {
			role: 'assistant',
			content: null,
			tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }],
		};
		const missing = await chatJson({
			model: 'mistral-small-2503',
			messages: [{ role: 'user', content: 'x' }, call, { role: 'tool', content: 'r' }],
		});
		expect(missing.res.status).toBe(400);
		expect(missing.json.error).toMatchObject({
			param: 'messages[2].tool_call_id',
			code: 'missing_required_parameter',
		});
		const unknown = await chatJson({
			model: 'mistral-small-2503',
			messages: [
				{ role: 'user', content: 'x' },
				{ role: 'tool', tool_call_id: 'call_9', content: 'r' },
			],
		});
		expect(unknown.res.status).toBe(400);
		expect(unknown.json.error.message).toMatch(
			/must be a response to a preceding message with 'tool_calls'/,
		);
	});

	test('reasoning models and reasoning_effort add reasoning_content', async () => {
		const r1 = await chatJson({
			model: 'deepseek-r1-distill-llama-70b',
			messages: [{ role: 'user', content: 'why sky blue' }],
		});
		expect(r1.json.choices[0].message).toEqual({
			role: 'assistant',
			content: 'Echo: why sky blue',
			reasoning_content: 'Thinking (medium) about: why sky blue',
		});
		expect(r1.json.usage.completion_tokens_details.reasoning_tokens).toBe(6);

		const effort = await chatJson(ask('why', { reasoning_effort: 'high' }));
		expect(effort.json.choices[0].message.reasoning_content).toBe('Thinking (high) about: why');

		const plain = await chatJson(ask('why'));
		expect(plain.json.choices[0].message.reasoning_content).toBeUndefined();
		expect(plain.json.usage.completion_tokens_details.reasoning_tokens).toBe(0);
	});

	test('logprobs: deterministic object when requested', async () => {
		const a = await chatJson(ask('a b', { logprobs: true }));
		const b = await chatJson(ask('a b', { logprobs: true }));
		expect(a.json.choices[0].logprobs.content.map((t) => t.token)).toEqual(['Echo:', 'a', 'b']);
		expect(a.json.choices[0].logprobs).toEqual(b.json.choices[0].logprobs);
	});

	test('usage and cost in micro-EUR', async () => {
		// mistral-large-2411 costs 1.8 / 5.4 EUR per 1M tokens = micro-EUR per token.
		const { json } = await chatJson({
			model: 'mistral-large-2411',
			messages: [
				{ role: 'system', content: 'You are terse.' }, // 3 words + 1
				{ role: 'user', content: 'one two three four' }, // 4 words + 1
			],
		});
		expect(json.choices[0].message.content).toBe('Echo: one two three four'); // 5 words
		expect(json.usage).toEqual({
			prompt_tokens: 9,
			completion_tokens: 5,
			total_tokens: 14,
			prompt_tokens_details: { cached_tokens: 0 },
			completion_tokens_details: { reasoning_tokens: 0 },
			cost: Math.round(9 * 1.8 + 5 * 5.4), // 43
			cost_details: {
				prompt_cost: 16,
				cache_read_cost: 0,
				cache_write_cost: 0,
				completion_cost: 27,
				prompt_audio_cost: 0,
			},
		});
	});

	test('usage counts tool arguments and reasoning; cost details add up', async () => {
		const { json } = await chatJson({
			model: 'gpt-oss-120b',
			messages: [{ role: 'user', content: 'hello there world' }],
			tools: [{ type: 'function', function: { name: 'f' } }],
		});
		const u = json.usage;
		expect(u.prompt_tokens).toBe(4);
		expect(u.completion_tokens_details.reasoning_tokens).toBe(6); // "Thinking (medium) about: hello there world"
		expect(u.completion_tokens).toBe(3 + 6); // '{"input":"hello there world"}' is 3 words, plus reasoning
		expect(u.cost).toBe(Math.round(4 * 0.14 + 9 * 0.56));
		expect(u.cost_details.prompt_cost + u.cost_details.completion_cost).toBe(u.cost);
	});

	test('includeCost: false omits cost fields', async () => {
		server.configure({ includeCost: false });
		const { json } = await chatJson(ask('x'));
		expect(json.usage.cost).toBeUndefined();
		expect(json.usage.cost_details).toBeUndefined();
		expect(json.usage.total_tokens).toBe(json.usage.prompt_tokens + json.usage.completion_tokens);
	});

	test('latencyMs delays answers', async () => {
		server.configure({ latencyMs: 150 });
		const t0 = Date.now();
		await chat(ask('x'));
		expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
	});

	test('latencySigma: each answer waits the next log-normal draw, the first one again after reset', async () => {
		const settings = { latencyMs: 100, latencySigma: 0.8 };
		const first = latencies().next(settings);
		server.configure(settings);
		for (let run = 0; run < 2; run++) {
			server.reset();
			const t0 = Date.now();
			await chat(ask('x'));
			expect(Date.now() - t0).toBeGreaterThanOrEqual(first - 10);
		}
	});
});

describe('latency.js: the answer times', () => {
	const draw = (settings, count) => {
		const times = latencies();
		return Array.from({ length: count }, () => times.next(settings));
	};
	const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.floor(q * values.length)];

	test('sigma 0: every answer waits latencyMs', () => {
		expect(draw({ latencyMs: 50, latencySigma: 0 }, 3)).toEqual([50, 50, 50]);
	});

	test('sigma 0.8: median latencyMs, a long tail (1 in 100 above 6 × the median), never 0', () => {
		const times = draw({ latencyMs: 800, latencySigma: 0.8 }, 4000);
		expect(quantile(times, 0.5) / 800).toBeCloseTo(1, 1);
		expect(quantile(times, 0.99) / 800).toBeGreaterThan(5);
		expect(quantile(times, 0.99) / 800).toBeLessThan(8);
		expect(Math.min(...times)).toBeGreaterThan(0);
	});

	test('restart() replays the same answer times', () => {
		const times = latencies();
		const settings = { latencyMs: 800, latencySigma: 0.8 };
		const once = [times.next(settings), times.next(settings)];
		times.restart();
		expect([times.next(settings), times.next(settings)]).toEqual(once);
		expect(once[0]).not.toBe(once[1]);
	});
});

describe('POST /v1/chat/completions: files', () => {
	const IMAGE = { type: 'image_url', image_url: { url: dataUrl('image/png', png(40, 30)) } };
	const PDF = {
		type: 'file',
		file: { filename: 'a.pdf', file_data: dataUrl('application/pdf', pdf([['Hello']])) },
	};
	const withFiles = (model, ...parts) => ({
		model,
		messages: [{ role: 'user', content: [{ type: 'text', text: 'Read these.' }, ...parts] }],
	});

	test('an image and a PDF to a model that reads both: 200, the echo of the text, the body logged as sent', async () => {
		const body = withFiles('mistral-small-2503', IMAGE, PDF);
		const { res, json } = await chatJson(body);
		expect(res.status).toBe(200);
		expect(json.choices[0].message.content).toBe('Echo: Read these.');
		expect(server.chatRequests()[0].body).toEqual(body);
	});

	test('bytes that are not what the data URL says: 400 before the model is looked up', async () => {
		const jpegAsPng = {
			type: 'image_url',
			image_url: { url: dataUrl('image/png', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])) },
		};
		const { res, json } = await chatJson(withFiles('no-such-model', jpegAsPng));
		expect(res.status).toBe(400);
		expect(json.error).toEqual({
			message:
				"Invalid image data in 'messages[0].content[1].image_url.url': the data URL says image/png, but the bytes are a JPEG file.",
			type: 'invalid_request_error',
			param: 'messages[0].content[1].image_url.url',
			code: 'invalid_image',
		});
	});

	test('[likely] an image to a text-only model, a PDF to an image-only model: 400; an unknown model stays 404', async () => {
		const image = await chatJson(withFiles('mistral-large-2411', IMAGE));
		expect(image.res.status).toBe(400);
		expect(image.json.error.code).toBe('unsupported_input_modality');
		expect(image.json.error.message).toBe(
			"Model 'mistral-large-2411' does not support image input (its input modalities: text). Models tagged 'Image' read it.",
		);
		const document = await chatJson(withFiles('pixtral-large-2411', PDF));
		expect(document.res.status).toBe(400);
		expect(document.json.error.param).toBe('messages[0].content[1].type');
		expect((await chat(withFiles('no-such-model', IMAGE))).status).toBe(404);
	});
});

describe('capacity', () => {
	test('requests above capacity get 429 at once with Retry-After', async () => {
		server.configure({ capacity: 2, latencyMs: 300 });
		const t0 = Date.now();
		const timed = (p) =>
			p.then(async (res) => ({ res, ms: Date.now() - t0, json: await res.json() }));
		const results = await Promise.all(
			Array.from({ length: 5 }, (_, i) => timed(chat(ask(`item ${i}`)))),
		);
		const ok = results.filter((r) => r.res.status === 200);
		const limited = results.filter((r) => r.res.status === 429);
		expect(ok).toHaveLength(2);
		expect(limited).toHaveLength(3);
		for (const r of limited) {
			expect(r.res.headers.get('retry-after')).toBe('1');
			expect(r.json.error).toMatchObject({
				message: 'Rate limit exceeded: too many concurrent requests',
				type: 'rate_limit_error',
				code: 'rate_limit_exceeded',
			});
			expect(r.ms).toBeLessThan(250);
		}
		expect(server.stats).toEqual({
			inFlight: 0,
			maxInFlight: 2,
			total: 5,
			count429: 3,
			countByStatus: { 200: 2, 429: 3 },
		});
		const logged = server
			.chatRequests()
			.map((r) => r.status)
			.sort();
		expect(logged).toEqual([200, 200, 429, 429, 429]);
	});

	test('retryAfter: null omits the header; HTTP dates pass through', async () => {
		server.configure({ capacity: 0, retryAfter: null });
		let res = await chat(ask('x'));
		expect(res.status).toBe(429);
		expect(res.headers.get('retry-after')).toBeNull();
		const date = new Date(Date.now() + 5000).toUTCString();
		server.configure({ retryAfter: date });
		res = await chat(ask('x'));
		expect(res.headers.get('retry-after')).toBe(date);
	});
});

describe('faults on demand', () => {
	const statuses = [400, 401, 402, 403, 404, 408, 413, 429, 500, 502, 503, 504];

	test.each(statuses)('[[fault:%i]] answers that status with an OpenAI error', async (status) => {
		const res = await chat(ask(`please fail [[fault:${status}]]`));
		expect(res.status).toBe(status);
		expect(res.headers.get('content-type')).toBe('application/json');
		expect(res.headers.get('x-cortecs-provider')).toBeNull();
		expect(res.headers.get('retry-after')).toBe(status === 429 || status === 503 ? '1' : null);
		const json = await res.json();
		expect(json).toEqual({
			error: {
				message: expect.any(String),
				type: expect.any(String),
				param: status === 404 ? 'model' : null,
				code: expect.any(String),
			},
		});
		expect(json.error.message.length).toBeGreaterThan(0);
	});

	test('fault messages are distinct per status and realistic', async () => {
		const messages = [];
		for (const status of statuses)
			messages.push((await (await chat(ask(`[[fault:${status}]]`))).json()).error.message);
		expect(new Set(messages).size).toBe(statuses.length);
		const byStatus = Object.fromEntries(statuses.map((s, i) => [s, messages[i]]));
		expect(byStatus[402]).toBe('Payment required: insufficient prepaid balance');
		expect(byStatus[413]).toBe('Request entity too large');
		expect(byStatus[500]).toBe('unexpected_error');
		expect(byStatus[502]).toBe('Bad gateway: upstream provider failed');
		expect(byStatus[504]).toBe('Upstream provider timed out');
	});

	test('422 uses the FastAPI detail shape', async () => {
		const res = await chat(ask('[[fault:422]]'));
		expect(res.status).toBe(422);
		expect(await res.json()).toEqual({
			detail: [
				{ loc: ['body', 'x'], msg: 'Extra inputs are not permitted', type: 'extra_forbidden' },
			],
		});
	});

	test.each([
		['shape-string', { error: 'Invalid parameter: temperature' }],
		['shape-detail', { detail: 'Invalid request' }],
		['shape-message', { message: 'Malformed request' }],
	])('[[fault:%s]] -> 400 with an odd body shape', async (name, body) => {
		const res = await chat(ask(`[[fault:${name}]]`));
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual(body);
	});

	test('retry-after-date sends an HTTP date in the future, then succeeds', async () => {
		const body = ask('[[fault:retry-after-date:1]]');
		const first = await chat(body);
		expect(first.status).toBe(503);
		const header = first.headers.get('retry-after');
		expect(header).toMatch(/GMT$/);
		expect(Date.parse(header)).toBeGreaterThan(Date.now());
		const second = await chat(body);
		expect(second.status).toBe(200);
	});

	test('reset: 200 headers, half a body, then a destroyed socket', async () => {
		const res = await chat(ask('[[fault:reset]]'));
		expect(res.status).toBe(200);
		await expect(res.text()).rejects.toThrow();
		expect(server.chatRequests()[0].status).toBe(200);
	});

	test('reset on a stream request cuts the stream after the first chunk', async () => {
		const res = await chat(ask('[[fault:reset]]', { stream: true }));
		expect(res.headers.get('content-type')).toBe('text/event-stream');
		await expect(res.text()).rejects.toThrow();
	});

	test('hang never answers; aborting frees the slot', async () => {
		const controller = new AbortController();
		const pending = chat(ask('[[fault:hang]]'), { signal: controller.signal });
		await waitFor(() => server.stats.inFlight === 1);
		await new Promise((r) => setTimeout(r, 100));
		expect(server.chatRequests()[0].status).toBeNull();
		controller.abort();
		await expect(pending).rejects.toThrow();
		await waitFor(() => server.stats.inFlight === 0);
		expect(server.stats.countByStatus).toEqual({});
	});

	test('not-json, empty and html bodies', async () => {
		const notJson = await chat(ask('[[fault:not-json]]'));
		expect(notJson.status).toBe(200);
		expect(notJson.headers.get('content-type')).toBe('application/json');
		expect(await notJson.text()).toBe('this is not json');

		const empty = await chat(ask('[[fault:empty]]'));
		expect(empty.status).toBe(200);
		expect(empty.headers.get('content-type')).toBe('application/json');
		expect(await empty.text()).toBe('');

		const html = await chat(ask('[[fault:html]]'));
		expect(html.status).toBe(502);
		expect(html.headers.get('content-type')).toBe('text/html');
		const page = await html.text();
		expect(page).toContain('<title>502 Bad Gateway</title>');
		expect(page).toContain('nginx');
	});

	test('sse-cut ends the stream without [DONE] or usage', async () => {
		const res = await chat(
			ask('a fairly long message to stream [[fault:sse-cut]]', { stream: true }),
		);
		expect(res.status).toBe(200);
		const events = parseSse(await res.text());
		expect(events.length).toBeGreaterThanOrEqual(1);
		expect(events).not.toContain('[DONE]');
		for (const e of events) {
			expect(e.usage).toBeUndefined();
			expect(e.choices[0].finish_reason).toBeNull();
		}
	});

	test('delay-MS answers normally after the extra delay', async () => {
		const t0 = Date.now();
		const { res, json } = await chatJson(ask('slow [[fault:delay-200]]'));
		expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
		expect(res.status).toBe(200);
		expect(json.choices[0].message.content).toBe('Echo: slow [[fault:delay-200]]');
	});

	test('a marker in any message counts, e.g. the system prompt', async () => {
		const res = await chat({
			model: 'mistral-small-2503',
			messages: [
				{ role: 'system', content: '[[fault:500]]' },
				{ role: 'user', content: 'x' },
			],
		});
		expect(res.status).toBe(500);
	});

	test('flaky :K fails the first K attempts per distinct messages, then succeeds', async () => {
		const itemA = ask('item A [[fault:503:2]]');
		const itemB = ask('item B [[fault:503:2]]');
		const statusesA = [];
		for (let i = 0; i < 3; i++) statusesA.push((await chat(itemA)).status);
		expect(statusesA).toEqual([503, 503, 200]);
		expect((await chat(itemB)).status).toBe(503); // counted separately
		const { json } = await chatJson(itemA);
		expect(json.choices[0].message.content).toBe('Echo: item A [[fault:503:2]]');
		server.reset(); // clears attempt counters
		expect((await chat(itemA)).status).toBe(503);
	});

	test('an unknown fault name is a loud 400', async () => {
		const { res, json } = await chatJson(ask('[[fault:typo]]'));
		expect(res.status).toBe(400);
		expect(json.error.message).toBe("Unknown test fault 'typo'");
	});

	test('auth and validation come before faults', async () => {
		expect((await chat(ask('[[fault:500]]'), { key: 'bad' })).status).toBe(401);
		expect(
			(await chat({ model: 'nope', messages: [{ role: 'user', content: '[[fault:500]]' }] }))
				.status,
		).toBe(404);
	});
});

describe('streaming', () => {
	test('OpenAI SSE chunks ending with usage and [DONE]', async () => {
		const content = 'one two three four five six seven';
		const plain = (await chatJson(ask(content))).json;
		const res = await chat(ask(content, { stream: true }));
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('text/event-stream');
		expect(res.headers.get('x-cortecs-provider')).toBe('mistral');
		expect(res.headers.get('x-cortecs-model')).toBe('mistral-small-2503');
		const events = parseSse(await res.text());

		expect(events[events.length - 1]).toBe('[DONE]');
		const chunks = events.slice(0, -1);
		const ids = new Set(chunks.map((c) => c.id));
		expect(ids.size).toBe(1);
		for (const c of chunks) {
			expect(c.object).toBe('chat.completion.chunk');
			expect(c.model).toBe('mistral-small-2503');
			expect(typeof c.created).toBe('number');
		}
		expect(chunks[0].choices).toEqual([
			{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null },
		]);

		const usageChunk = chunks[chunks.length - 1];
		expect(usageChunk.choices).toEqual([]);
		expect(usageChunk.usage).toEqual(plain.usage);

		const finish = chunks[chunks.length - 2];
		expect(finish.choices).toEqual([{ index: 0, delta: {}, finish_reason: 'stop' }]);

		const pieces = chunks.slice(1, -2).map((c) => c.choices[0].delta.content);
		expect(pieces.length).toBeGreaterThanOrEqual(2);
		expect(pieces.join('')).toBe(plain.choices[0].message.content);
		expect(pieces.every((p) => p.trim().split(/\s+/).length <= 3)).toBe(true);
	});

	test('chunks arrive in several TCP writes', async () => {
		const url = new URL(server.url + '/chat/completions');
		const body = JSON.stringify(ask('a b c d e f g h i j k l m n o p', { stream: true }));
		const dataEvents = await new Promise((resolve, reject) => {
			const req = http.request(
				{
					host: url.hostname,
					port: url.port,
					path: url.pathname,
					method: 'POST',
					headers: { authorization: `Bearer ${VALID_KEY}`, 'content-type': 'application/json' },
				},
				(res) => {
					let n = 0;
					let text = '';
					res.setEncoding('utf8');
					res.on('data', (d) => {
						n++;
						text += d;
					});
					res.on('end', () =>
						text.endsWith('data: [DONE]\n\n') ? resolve(n) : reject(new Error('no [DONE]')),
					);
				},
			);
			req.on('error', reject);
			req.end(body);
		});
		expect(dataEvents).toBeGreaterThan(1);
	});

	test('streamGapMs spaces the frames: each arrives at least the gap after the one before', async () => {
		server.configure({ streamGapMs: 60 });
		const res = await chat(ask('a b c d e f', { stream: true }));
		const reader = res.body.getReader();
		const decoder = new TextDecoder();
		const arrivals = [];
		let text = '';
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			text += decoder.decode(value, { stream: true });
			const frames = text.split('\n\n').length - 1;
			while (arrivals.length < frames) arrivals.push(performance.now());
		}
		const frames = parseSse(text);
		expect(arrivals).toHaveLength(frames.length);
		// timers may fire up to a millisecond early on some platforms
		const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]);
		expect(gaps.every((gap) => gap >= 55)).toBe(true);
	});

	test('stream_options.include_usage false drops the usage chunk', async () => {
		const events = parseSse(
			await (
				await chat(ask('a b c', { stream: true, stream_options: { include_usage: false } }))
			).text(),
		);
		expect(events[events.length - 1]).toBe('[DONE]');
		expect(events.some((e) => e !== '[DONE]' && e.usage)).toBe(false);
	});

	test('reasoning and tool call deltas', async () => {
		const body = {
			model: 'gpt-oss-120b',
			stream: true,
			messages: [{ role: 'user', content: 'weather in Graz' }],
			tools: [{ type: 'function', function: { name: 'get_weather' } }],
		};
		const plain = (await chatJson({ ...body, stream: false })).json.choices[0].message;
		const events = parseSse(await (await chat(body)).text());
		const deltas = events
			.filter((e) => e !== '[DONE]' && e.choices.length)
			.map((e) => e.choices[0]);

		const reasoning = deltas
			.filter((d) => d.delta.reasoning_content !== undefined)
			.map((d) => d.delta.reasoning_content);
		expect(reasoning.length).toBeGreaterThanOrEqual(2);
		expect(reasoning.join('')).toBe(plain.reasoning_content);

		const calls = deltas.filter((d) => d.delta.tool_calls).map((d) => d.delta.tool_calls[0]);
		expect(calls[0]).toEqual({
			index: 0,
			id: expect.stringMatching(/^call_/),
			type: 'function',
			function: { name: 'get_weather', arguments: '' },
		});
		const argPieces = calls.slice(1).map((c) => {
			expect(Object.keys(c)).toEqual(['index', 'function']);
			return c.function.arguments;
		});
		expect(argPieces.length).toBeGreaterThanOrEqual(2);
		expect(argPieces.join('')).toBe(plain.tool_calls[0].function.arguments);
		expect(deltas[deltas.length - 1]).toEqual({ index: 0, delta: {}, finish_reason: 'tool_calls' });
	});

	test('n > 1 streams every choice', async () => {
		const events = parseSse(await (await chat(ask('hi there', { stream: true, n: 2 }))).text());
		const text = [0, 1].map((i) =>
			events
				.filter((e) => e !== '[DONE]' && e.choices.length && e.choices[0].index === i)
				.map((e) => e.choices[0].delta.content || '')
				.join(''),
		);
		expect(text).toEqual(['Echo: hi there', 'Echo: hi there (#2)']);
	});
});

describe('request log and stats', () => {
	test('logs every request with method, path, query, headers, body, status, at', async () => {
		const t0 = Date.now();
		await fetch(server.url + '/models?tag=Tools&tag=Reasoning&currency=EUR');
		await chat(ask('logged', { temperature: 0.2 }), { headers: { 'X-Custom': 'Yes' } });
		await chat(undefined, { raw: 'not json at all' });

		expect(server.requests).toHaveLength(3);
		const [models, ok, bad] = server.requests;
		expect(models).toMatchObject({
			method: 'GET',
			path: '/v1/models',
			query: { tag: ['Tools', 'Reasoning'], currency: 'EUR' },
			body: undefined,
			status: 200,
		});
		expect(ok).toMatchObject({
			method: 'POST',
			path: '/v1/chat/completions',
			query: {},
			status: 200,
			body: ask('logged', { temperature: 0.2 }),
		});
		expect(ok.headers['x-custom']).toBe('Yes');
		expect(ok.headers.authorization).toBe(`Bearer ${VALID_KEY}`);
		expect(ok.at).toBeGreaterThanOrEqual(t0);
		expect(ok.at).toBeLessThanOrEqual(Date.now());
		expect(bad).toMatchObject({ body: 'not json at all', status: 400 });

		expect(server.chatRequests()).toEqual([ok, bad]);
		// Stats only count chat completions.
		expect(server.stats).toMatchObject({
			total: 2,
			count429: 0,
			countByStatus: { 200: 1, 400: 1 },
			inFlight: 0,
			maxInFlight: 1,
		});
	});

	test('reset() empties the log in place and zeroes stats', async () => {
		const log = server.requests;
		await chat(ask('x'));
		server.reset();
		expect(log).toHaveLength(0);
		expect(server.requests).toBe(log);
		expect(server.stats).toEqual({
			inFlight: 0,
			maxInFlight: 0,
			total: 0,
			count429: 0,
			countByStatus: {},
		});
	});
});

describe('separate servers', () => {
	test('logRequests: false keeps stats only; custom keys', async () => {
		const s = await startCortecsServer({ logRequests: false, keys: { valid: ['mine'] } });
		try {
			const headers = (key) => ({
				authorization: `Bearer ${key}`,
				'content-type': 'application/json',
			});
			const a = await fetch(s.url + '/chat/completions', {
				method: 'POST',
				headers: headers('mine'),
				body: JSON.stringify(ask('x')),
			});
			const b = await fetch(s.url + '/chat/completions', {
				method: 'POST',
				headers: headers(VALID_KEY),
				body: JSON.stringify(ask('x')),
			});
			const c = await fetch(s.url + '/chat/completions', {
				method: 'POST',
				headers: headers(MANAGEMENT_KEY),
				body: JSON.stringify(ask('x')),
			});
			expect([a.status, b.status, c.status]).toEqual([200, 401, 200]);
			expect(s.requests).toHaveLength(0);
			expect(s.stats.total).toBe(3);
			expect(s.url).toBe(`http://127.0.0.1:${s.port}/v1`);
			expect(s.httpServer.address().address).toBe('127.0.0.1');
		} finally {
			await s.close();
		}
	});

	test('close() resolves promptly even with a hung request', async () => {
		const s = await startCortecsServer();
		const pending = fetch(s.url + '/chat/completions', {
			method: 'POST',
			headers: { authorization: `Bearer ${VALID_KEY}` },
			body: JSON.stringify(ask('[[fault:hang]]')),
		});
		await waitFor(() => s.stats.inFlight === 1);
		const t0 = Date.now();
		await s.close();
		expect(Date.now() - t0).toBeLessThan(1000);
		await expect(pending).rejects.toThrow();
	});
});

describe('CLI', () => {
	function firstLine(child) {
		return new Promise((resolve, reject) => {
			let out = '';
			child.stdout.setEncoding('utf8');
			const onData = (d) => {
				out += d;
				const nl = out.indexOf('\n');
				if (nl !== -1) {
					child.stdout.off('data', onData);
					resolve(out.slice(0, nl));
				}
			};
			child.stdout.on('data', onData);
			child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
		});
	}

	function exited(child) {
		return new Promise((resolve) =>
			child.once('exit', (code, signal) => resolve({ code, signal })),
		);
	}

	test('prints one line, logs requests, stops on SIGTERM', async () => {
		const child = spawn(
			process.execPath,
			[SERVER_JS, '--port', '0', '--latency', '5', '--capacity', '8'],
			{ stdio: ['ignore', 'pipe', 'inherit'] },
		);
		try {
			const line = await firstLine(child);
			const m = /^Cortecs-compatible server listening on (http:\/\/127\.0\.0\.1:\d+\/v1)$/.exec(
				line,
			);
			expect(m).not.toBeNull();
			const logLine = new Promise((resolve) => child.stdout.on('data', (d) => resolve(String(d))));
			const res = await fetch(m[1] + '/models');
			expect(res.status).toBe(200);
			expect(await logLine).toMatch(/^GET \/v1\/models 200 \d+ms/);
			const exit = exited(child);
			child.kill('SIGTERM');
			expect((await exit).code).toBe(0);
		} finally {
			if (child.exitCode === null) child.kill('SIGKILL');
		}
	});

	test('--ipc: ready message and stats / configure / reset commands', async () => {
		const child = fork(SERVER_JS, ['--ipc', '--port', '0', '--quiet'], {
			stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
		});
		const nextMessage = () => new Promise((resolve) => child.once('message', resolve));
		try {
			const ready = await nextMessage();
			expect(ready).toEqual({
				ready: true,
				url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/v1$/),
			});

			child.send({ cmd: 'configure', capacity: 0, retryAfter: '7' });
			expect((await nextMessage()).stats).toMatchObject({ total: 0 });
			const res = await fetch(ready.url + '/chat/completions', {
				method: 'POST',
				headers: { authorization: `Bearer ${VALID_KEY}` },
				body: JSON.stringify(ask('x')),
			});
			expect(res.status).toBe(429);
			expect(res.headers.get('retry-after')).toBe('7');

			child.send({ cmd: 'stats', id: 42 });
			expect(await nextMessage()).toEqual({
				id: 42,
				stats: { inFlight: 0, maxInFlight: 0, total: 1, count429: 1, countByStatus: { 429: 1 } },
			});

			child.send({ cmd: 'configure', capacity: null }); // null = unlimited (Infinity does not survive JSON)
			await nextMessage();
			expect(
				(
					await fetch(ready.url + '/chat/completions', {
						method: 'POST',
						headers: { authorization: `Bearer ${VALID_KEY}` },
						body: JSON.stringify(ask('x')),
					})
				).status,
			).toBe(200);

			child.send({ cmd: 'reset' });
			expect((await nextMessage()).stats).toEqual({
				inFlight: 0,
				maxInFlight: 0,
				total: 0,
				count429: 0,
				countByStatus: {},
			});

			const exit = exited(child);
			child.disconnect(); // the parent going away stops the server
			expect((await exit).code).toBe(0);
		} finally {
			if (child.exitCode === null) child.kill('SIGKILL');
		}
	});
});
