/**
 * Chat → Complete through n8n-core's RoutingNode against the loopback Cortecs server: the exact body
 * for every parameter, the exact output items for every mode, headers, pairing, streaming, tools, JSON.
 */
const { VALID_KEY } = require('../tools/cortecs-server');
const { useCortecsServer } = require('./server-fixture');
const { runNode, chatParameters } = require('../tools/harness/routing');

const server = useCortecsServer();

async function run(parameters, extra = {}) {
	const result = await runNode({ baseUrl: server.url, parameters, ...extra });
	if (result.error) throw result.error;
	return result.items;
}

async function bodySent(extra) {
	await run(chatParameters(extra));
	const [request] = server.chatRequests();
	return request.body;
}

const hello = [{ role: 'user', content: 'Hello' }];

describe('request', () => {
	test('an untouched node sends exactly {model, messages}, with the Bearer key', async () => {
		await run(chatParameters());
		const requests = server.chatRequests();
		expect(requests).toHaveLength(1);
		expect(requests[0].method).toBe('POST');
		expect(requests[0].path).toBe('/v1/chat/completions');
		expect(requests[0].headers.authorization).toBe(`Bearer ${VALID_KEY}`);
		expect(requests[0].headers['content-type']).toMatch(/^application\/json/);
		expect(requests[0].body).toEqual({ model: 'mistral-small-2503', messages: hello });
		expect(Object.keys(requests[0].body).sort()).toEqual(['messages', 'model']);
	});

	test("the credential's authenticate function adds the Bearer key and changes nothing else", async () => {
		const { CortecsApi } = require('../dist/credentials/CortecsApi.credentials.js');
		const credential = new CortecsApi();
		expect(typeof credential.authenticate).toBe('function');
		const request = {
			method: 'POST',
			url: '/chat/completions',
			headers: { Accept: 'application/json' },
			body: { model: 'm' },
		};
		const authenticated = await credential.authenticate(
			{ apiKey: 'sk-one', baseUrl: 'https://api.cortecs.ai/v1' },
			request,
		);
		expect(authenticated).toEqual({
			...request,
			headers: { Accept: 'application/json', Authorization: 'Bearer sk-one' },
		});
		expect(request.headers).toEqual({ Accept: 'application/json' }); // the caller's object is left alone
	});

	const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
	const tools = [
		{
			type: 'function',
			function: {
				name: 'get_weather',
				parameters: { type: 'object', properties: { city: { type: 'string' } } },
			},
		},
	];
	test.each([
		['temperature', { temperature: 0.2 }, { temperature: 0.2 }],
		['maxTokens', { maxTokens: 256 }, { max_tokens: 256 }],
		['topP', { topP: 0.9 }, { top_p: 0.9 }],
		['frequencyPenalty', { frequencyPenalty: -1.5 }, { frequency_penalty: -1.5 }],
		['presencePenalty', { presencePenalty: 1.25 }, { presence_penalty: 1.25 }],
		['stop', { stop: ['END', '###'] }, { stop: ['END', '###'] }],
		['seed', { seed: 42 }, { seed: 42 }],
		['n', { n: 3 }, { n: 3 }],
		['logprobs', { logprobs: true }, { logprobs: true }],
		['responseFormat text', { responseFormat: 'text' }, { response_format: { type: 'text' } }],
		[
			'responseFormat json_object',
			{ responseFormat: 'json_object' },
			{ response_format: { type: 'json_object' } },
		],
		[
			'responseFormat json_schema (bare schema)',
			{ responseFormat: 'json_schema', jsonSchema: JSON.stringify(schema) },
			{ response_format: { type: 'json_schema', json_schema: { name: 'response', schema } } },
		],
		[
			'responseFormat json_schema ({name, schema, strict})',
			{
				responseFormat: 'json_schema',
				jsonSchema: JSON.stringify({ name: 'person', schema, strict: true }),
			},
			{
				response_format: {
					type: 'json_schema',
					json_schema: { name: 'person', schema, strict: true },
				},
			},
		],
		['tools', { tools: JSON.stringify(tools) }, { tools }],
		['toolChoice', { toolChoice: 'none' }, { tool_choice: 'none' }],
		['parallelToolCalls', { parallelToolCalls: false }, { parallel_tool_calls: false }],
		[
			'prediction',
			{ prediction: '{"type": "content", "content": "Hello world"}' },
			{ prediction: { type: 'content', content: 'Hello world' } },
		],
		['safePrompt', { safePrompt: true }, { safe_prompt: true }],
		['reasoningEffort', { reasoningEffort: 'high' }, { reasoning_effort: 'high' }],
	])('Options → %s', async (_name, options, expected) => {
		expect(await bodySent({ options })).toEqual({
			model: 'mistral-small-2503',
			messages: hello,
			...expected,
		});
	});

	test('Options → jsonSchema alone is not sent (it belongs to Response Format)', async () => {
		expect(await bodySent({ options: { jsonSchema: '{"type":"object"}' } })).toEqual({
			model: 'mistral-small-2503',
			messages: hello,
		});
	});

	test.each([
		['preference', { preference: 'speed' }, { preference: 'speed' }],
		[
			'allowedProviders',
			{ allowedProviders: ['mistral', 'ovh'] },
			{ allowed_providers: ['mistral', 'ovh'] },
		],
		[
			'allowedProviders as a comma list from an expression',
			{ allowedProviders: '={{ "mistral, ovh" }}' },
			{ allowed_providers: ['mistral', 'ovh'] },
		],
		['allowedProviders empty', { allowedProviders: [] }, {}],
		['euNative', { euNative: true }, { eu_native: true }],
		['allowQuantization', { allowQuantization: false }, { allow_quantization: false }],
		[
			'allowZeroDataRetention',
			{ allowZeroDataRetention: true },
			{ allow_zero_data_retention: true },
		],
		['enableModelFallback', { enableModelFallback: false }, { enable_model_fallback: false }],
	])('Routing → %s', async (_name, routerOptions, expected) => {
		expect(await bodySent({ routerOptions })).toEqual({
			model: 'mistral-small-2503',
			messages: hello,
			...expected,
		});
	});

	test('a model typed by id and messages in several rows keep their order', async () => {
		const messages = [
			{ role: 'system', content: 'Be brief.' },
			{ role: 'user', content: 'Hi' },
			{ role: 'assistant', content: 'Hello!' },
			{ role: 'user', content: 'Summarise this.' },
		];
		const body = await bodySent({
			model: { __rl: true, mode: 'id', value: 'llama-3.3-70b-instruct' },
			messages: { message: messages },
		});
		expect(body).toEqual({ model: 'llama-3.3-70b-instruct', messages });
	});

	test('messages as JSON: conversation history with tool calls and tool messages is sent as given', async () => {
		const history = [
			{ role: 'system', content: 'You answer with tools.' },
			{ role: 'user', content: 'Weather in Vienna?' },
			{
				role: 'assistant',
				content: null,
				tool_calls: [
					{
						id: 'call_1',
						type: 'function',
						function: { name: 'get_weather', arguments: '{"city":"Vienna"}' },
					},
				],
			},
			{ role: 'tool', tool_call_id: 'call_1', content: '{"temp": 21}' },
			{ role: 'user', content: 'And tomorrow?' },
		];
		const body = await bodySent({ messagesMode: 'json', messagesJson: JSON.stringify(history) });
		expect(body).toEqual({ model: 'mistral-small-2503', messages: history });
	});

	test('messages as JSON from an expression reading the input item', async () => {
		const history = [{ role: 'user', content: 'From the item' }];
		await run(chatParameters({ messagesMode: 'json', messagesJson: '={{ $json.history }}' }), {
			items: [{ json: { history } }],
		});
		expect(server.chatRequests()[0].body.messages).toEqual(history);
	});
});

describe('several items', () => {
	test('one request per item with its own expression values; outputs in order, each paired', async () => {
		const items = ['alpha', 'beta', 'gamma'].map((text) => ({ json: { text } }));
		const out = await run(
			chatParameters({
				messages: { message: [{ role: 'user', content: '=Summarise: {{ $json.text }}' }] },
				options: { temperature: '={{ $itemIndex / 10 }}' },
			}),
			{ items },
		);
		const sent = server
			.chatRequests()
			.map((r) => r.body)
			.sort((a, b) => a.messages[0].content.localeCompare(b.messages[0].content));
		expect(sent).toEqual([
			{
				model: 'mistral-small-2503',
				messages: [{ role: 'user', content: 'Summarise: alpha' }],
				temperature: 0,
			},
			{
				model: 'mistral-small-2503',
				messages: [{ role: 'user', content: 'Summarise: beta' }],
				temperature: 0.1,
			},
			{
				model: 'mistral-small-2503',
				messages: [{ role: 'user', content: 'Summarise: gamma' }],
				temperature: 0.2,
			},
		]);
		expect(out.map((i) => [i.json.content, i.pairedItem])).toEqual([
			['Echo: Summarise: alpha', { item: 0 }],
			['Echo: Summarise: beta', { item: 1 }],
			['Echo: Summarise: gamma', { item: 2 }],
		]);
	});

	test('n > 1: one item per choice, all paired to their input item', async () => {
		const items = [{ json: { q: 'one' } }, { json: { q: 'two' } }];
		const out = await run(
			chatParameters({
				messages: { message: [{ role: 'user', content: '={{ $json.q }}' }] },
				options: { n: 2 },
			}),
			{ items },
		);
		expect(out.map((i) => [i.json.content, i.json.index, i.pairedItem])).toEqual([
			['Echo: one', 0, { item: 0 }],
			['Echo: one (#2)', 1, { item: 0 }],
			['Echo: two', 0, { item: 1 }],
			['Echo: two (#2)', 1, { item: 1 }],
		]);
	});
});

// "Hello" → "Echo: Hello" on mistral-small-2503 (0.1 € / 0.3 € per 1M tokens): 2 + 2 tokens, 1 micro-EUR.
const helloUsage = {
	prompt_tokens: 2,
	completion_tokens: 2,
	total_tokens: 4,
	prompt_tokens_details: { cached_tokens: 0 },
	completion_tokens_details: { reasoning_tokens: 0 },
	cost: 1,
	cost_details: {
		prompt_cost: 0,
		cache_read_cost: 0,
		cache_write_cost: 0,
		completion_cost: 1,
		prompt_audio_cost: 0,
	},
};

describe('output', () => {
	test('Simplify (default): the exact item', async () => {
		const [item] = await run(chatParameters());
		expect(item).toEqual({
			json: {
				content: 'Echo: Hello',
				role: 'assistant',
				finish_reason: 'stop',
				index: 0,
				model: 'mistral-small-2503',
				provider: 'mistral',
				id: 'chatcmpl-00000001',
				usage: helloUsage,
				cost_eur: 0.000001,
			},
			pairedItem: { item: 0 },
		});
	});

	test('Simplify off: the whole body plus provider and cost', async () => {
		const [item] = await run(chatParameters({ simplify: false }));
		const { created, ...rest } = item.json;
		expect(typeof created).toBe('number');
		expect(rest).toEqual({
			id: 'chatcmpl-00000001',
			object: 'chat.completion',
			model: 'mistral-small-2503',
			choices: [
				{
					index: 0,
					message: { role: 'assistant', content: 'Echo: Hello' },
					finish_reason: 'stop',
					logprobs: null,
				},
			],
			usage: helloUsage,
			provider: 'mistral',
			cost_eur: 0.000001,
		});
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	test('provider comes from the x-cortecs-provider header and follows Routing', async () => {
		const [cheap] = await run(chatParameters({ routerOptions: { preference: 'cost' } }));
		expect(cheap.json.provider).toBe('ovh');
		const [eu] = await run(
			chatParameters({
				model: { __rl: true, mode: 'id', value: 'mistral-large-2411' },
				routerOptions: { euNative: true },
			}),
		);
		expect(eu.json.provider).toBe('mistral');
	});

	test('reasoning models give reasoning_content', async () => {
		const [item] = await run(
			chatParameters({
				model: { __rl: true, mode: 'id', value: 'deepseek-r1-distill-llama-70b' },
				options: { reasoningEffort: 'low' },
			}),
		);
		expect(item.json.reasoning_content).toBe('Thinking (low) about: Hello');
		expect(item.json.content).toBe('Echo: Hello');
	});

	test('tool calls come back with their arguments parsed to objects', async () => {
		const tools = [
			{
				type: 'function',
				function: {
					name: 'lookup',
					parameters: { type: 'object', properties: { input: { type: 'string' } } },
				},
			},
		];
		const [item] = await run(chatParameters({ options: { tools: JSON.stringify(tools) } }));
		expect(item.json.content).toBeNull();
		expect(item.json.finish_reason).toBe('tool_calls');
		expect(item.json.tool_calls).toEqual([
			{
				id: 'call_1',
				type: 'function',
				function: { name: 'lookup', arguments: { input: 'Hello' } },
			},
		]);
	});

	test('JSON object mode gives the parsed object', async () => {
		const [item] = await run(chatParameters({ options: { responseFormat: 'json_object' } }));
		expect(item.json.content).toBe('{"echo":"Hello"}');
		expect(item.json.parsed).toEqual({ echo: 'Hello' });
	});

	test('JSON schema mode gives the parsed object following the schema', async () => {
		const schema = {
			type: 'object',
			properties: {
				summary: { type: 'string' },
				words: { type: 'integer' },
				ok: { type: 'boolean' },
			},
		};
		const [item] = await run(
			chatParameters({
				options: { responseFormat: 'json_schema', jsonSchema: JSON.stringify(schema) },
			}),
		);
		expect(item.json.parsed).toEqual({ summary: 'Hello', words: 1, ok: true });
	});

	test('max tokens cut the answer and say so in finish_reason', async () => {
		const [item] = await run(
			chatParameters({
				messages: { message: [{ role: 'user', content: 'one two three four' }] },
				options: { maxTokens: 2 },
			}),
		);
		expect(item.json).toMatchObject({ content: 'Echo: one', finish_reason: 'length' });
	});
});

describe('stream', () => {
	const strip = ({ id: _id, ...rest }) => rest;

	test('SSE is requested and assembled into the same item as without streaming', async () => {
		const [plain] = await run(
			chatParameters({
				messages: {
					message: [{ role: 'user', content: 'a longer sentence to stream in several chunks' }],
				},
			}),
		);
		const [streamed] = await run(
			chatParameters({
				messages: {
					message: [{ role: 'user', content: 'a longer sentence to stream in several chunks' }],
				},
				options: { stream: true },
			}),
		);
		const [, request] = server.chatRequests();
		expect(request.body.stream).toBe(true);
		expect(strip(streamed.json)).toEqual(strip(plain.json));
		expect(streamed.json.usage.total_tokens).toBeGreaterThan(0);
	});

	test('streamed tool calls, reasoning and several choices are assembled', async () => {
		const tools = [{ type: 'function', function: { name: 'lookup' } }];
		const model = { __rl: true, mode: 'id', value: 'gpt-oss-120b' };
		const plain = await run(
			chatParameters({ model, options: { tools: JSON.stringify(tools), n: 2 } }),
		);
		const streamed = await run(
			chatParameters({ model, options: { tools: JSON.stringify(tools), n: 2, stream: true } }),
		);
		const withoutCallIds = (i) => ({
			...strip(i.json),
			tool_calls: i.json.tool_calls.map(({ id, ...call }) => ({
				...call,
				id: id.replace(/\d+$/, 'N'),
			})),
		});
		expect(streamed.map(withoutCallIds)).toEqual(plain.map(withoutCallIds));
		expect(streamed[1].json.tool_calls[0].function.arguments).toEqual({ input: 'Hello' });
		expect(streamed[0].json.reasoning_content).toBe('Thinking (medium) about: Hello');
	});
});

describe('options left empty in the editor', () => {
	test('blank stop rows and empty Tools / Prediction are not sent', async () => {
		const body = await bodySent({
			options: { stop: ['', 'END', ''], tools: '', prediction: '  ' },
		});
		expect(body).toEqual({ model: 'mistral-small-2503', messages: hello, stop: ['END'] });
		server.reset();
		expect(await bodySent({ options: { stop: [''] } })).toEqual({
			model: 'mistral-small-2503',
			messages: hello,
		});
	});
});
