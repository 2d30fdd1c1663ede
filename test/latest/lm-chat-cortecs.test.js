'use strict';
/**
 * The Cortecs Chat Model inside the newest n8n line: the node's supplyData run by n8n-core's
 * SupplyDataContext, the package's chat model wrapped by n8n's own @n8n/ai-node-sdk (its LangChain adapter
 * and tracing, which write the sub-node's panel), real HTTP to the loopback Cortecs server. Runs on Node
 * 24 with the modules of the cached n8n install:
 *   npm run test:chat-model
 */
const assert = require('node:assert/strict');
const { test, before, after, beforeEach } = require('node:test');

const { startCortecsServer, VALID_KEY } = require('../../tools/cortecs-server');
const {
	supplyModel,
	chatModelParameters,
	n8nModule,
	N8N_MODULES,
	NODE_NAME,
} = require('../../tools/harness/supply-data');

if (!N8N_MODULES)
	throw new Error(
		'Run with N8N_MODULES=<n8n install>/node_modules (npm run test:chat-model does).',
	);
const { NodeApiError, NodeOperationError } = n8nModule('n8n-workflow');
const { MODELS } = require('../../tools/cortecs-server');
const { redirectingBaseUrl } = require('../redirecting-base-url');

let server;
before(async () => {
	server = await startCortecsServer();
});
after(() => server.close());
beforeEach(() => server.reset());

const model = (parameters = chatModelParameters(), extra = {}) =>
	supplyModel({ baseUrl: server.url, parameters, ...extra });

const onlyRequest = () => {
	const requests = server.chatRequests();
	assert.equal(requests.length, 1);
	return requests[0];
};

test('an untouched sub-node sends model and messages, and nothing the user did not set', async () => {
	const { response } = await model();
	const answer = await response.invoke([
		['system', 'Be brief.'],
		['human', 'Hello'],
	]);
	assert.equal(answer.content, 'Echo: Hello');
	const request = onlyRequest();
	assert.equal(request.path, '/v1/chat/completions');
	assert.deepEqual(request.body, {
		model: 'mistral-small-2503',
		messages: [
			{ role: 'system', content: 'Be brief.' },
			{ role: 'user', content: 'Hello' },
		],
	});
});

test('every option and every router field reaches the body under its API name', async () => {
	const { response } = await model(
		chatModelParameters({
			model: { __rl: true, mode: 'id', value: 'gpt-oss-120b' },
			options: {
				temperature: 0.2,
				maxTokens: 256,
				topP: 0.9,
				frequencyPenalty: -1.5,
				presencePenalty: 1.25,
				seed: 42,
				stop: ['END', '###'],
				responseFormat: 'json_object',
				reasoningEffort: 'high',
				timeout: 120,
				maxRetries: 1,
			},
			routerOptions: {
				preference: 'cost',
				allowedProviders: ['nebius', 'amazon_paris'],
				euNative: true,
				allowQuantization: false,
				allowZeroDataRetention: true,
				enableModelFallback: false,
			},
		}),
	);
	const answer = await response.invoke('Give JSON');
	assert.equal(answer.content, '{"echo":"Give JSON"}');
	assert.deepEqual(onlyRequest().body, {
		model: 'gpt-oss-120b',
		messages: [{ role: 'user', content: 'Give JSON' }],
		temperature: 0.2,
		max_tokens: 256,
		top_p: 0.9,
		frequency_penalty: -1.5,
		presence_penalty: 1.25,
		seed: 42,
		stop: ['END', '###'],
		response_format: { type: 'json_object' },
		reasoning_effort: 'high',
		preference: 'cost',
		allowed_providers: ['nebius', 'amazon_paris'],
		eu_native: true,
		allow_quantization: false,
		allow_zero_data_retention: true,
		enable_model_fallback: false,
	});
	// preference 'cost' makes the test server pick the last allowed provider
	assert.equal(server.chatRequests().length, 1);
});

test('the Bearer key goes to the Base URL; a redirect is not followed, and takes no key along', async () => {
	const { response } = await model();
	await response.invoke('Hi');
	assert.equal(onlyRequest().headers.authorization, `Bearer ${VALID_KEY}`);

	// A Base URL that redirects to another origin: that origin must not see the key.
	const redirect = await redirectingBaseUrl();
	try {
		const redirected = await supplyModel({
			baseUrl: redirect.baseUrl,
			parameters: chatModelParameters({ options: { maxRetries: 0 } }),
		});
		const error = await redirected.response.invoke('Hi').catch((e) => e);
		assert.ok(error instanceof NodeApiError, `got ${error?.constructor?.name}: ${error?.message}`);
		assert.equal(error.httpCode, '307');
		assert.equal(
			error.description,
			`The Base URL answers with a redirect to ${redirect.target}/v1/chat/completions. Set the Base URL of the Cortecs API credential to the address of the API itself (https://api.cortecs.ai/v1).`,
		);
		assert.deepEqual(redirect.seen, []);
	} finally {
		redirect.close();
	}
});

/** The sub-node's panel: per model call, what went in (input) and what came out (output). */
const panel = (supplied) =>
	supplied.runData().map((run) => ({
		input: JSON.parse(JSON.stringify(run.inputOverride.ai_languageModel[0][0].json)),
		output: JSON.parse(JSON.stringify(run.data.ai_languageModel[0][0].json)),
	}));

/** A call's price at the catalogue's prices (micro-EUR per token), in EUR. */
const catalogueEur = (id, prompt, completion) => {
	const { pricing } = MODELS.find((m) => m.id === id);
	return Math.round(prompt * pricing.input_token + completion * pricing.output_token) / 1e6;
};

test('each call in the sub-node’s panel: tokens, cost in EUR, the provider and model that served it; the input shows what is sent', async () => {
	const supplied = await model(
		chatModelParameters({ options: { temperature: 0.5 }, routerOptions: { euNative: true } }),
	);
	await supplied.response.invoke('Count these words please');
	await supplied.response.invoke('And these');
	const calls = panel(supplied);
	assert.equal(calls.length, 2);
	const [first, second] = server.chatRequests();
	assert.deepEqual(calls[0].output, {
		response: {
			generations: [
				[
					{
						text: 'Echo: Count these words please',
						generationInfo: {
							finish_reason: 'stop',
							model: 'mistral-small-2503',
							provider: 'mistral',
							cost_eur: catalogueEur('mistral-small-2503', 5, 5),
						},
					},
				],
			],
		},
		tokenUsage: { completionTokens: 5, promptTokens: 5, totalTokens: 10 },
	});
	assert.equal(calls[1].output.response.generations[0][0].text, 'Echo: And these');
	assert.deepEqual(calls[1].output.tokenUsage, {
		completionTokens: 3,
		promptTokens: 3,
		totalTokens: 6,
	});
	// The input: the messages, n8n's estimate, and the request fields the user set (nothing of LangChain's).
	assert.deepEqual(calls[0].input.options, {
		model: 'mistral-small-2503',
		temperature: 0.5,
		eu_native: true,
	});
	assert.deepEqual(calls[0].input.messages, ['Human: Count these words please']);
	assert.doesNotMatch(
		JSON.stringify(calls),
		/openai_api_key|OPENAI_API_KEY|zdr_enabled|dispatcher|test-key-valid/,
	);
	assert.equal(first.body.eu_native, true);
	assert.equal(second.body.temperature, 0.5);
});

test('a call without a cost in its answer shows the catalogue’s estimate, marked as one', async () => {
	server.configure({ includeCost: false });
	const supplied = await model();
	try {
		await supplied.response.invoke('Count these words please');
	} finally {
		server.configure({ includeCost: true });
	}
	const [{ output }] = panel(supplied);
	assert.deepEqual(output.response.generations[0][0].generationInfo, {
		finish_reason: 'stop',
		model: 'mistral-small-2503',
		provider: 'mistral',
		cost_eur: catalogueEur('mistral-small-2503', 5, 5),
		cost_estimated: true,
	});
});

test('streaming: the chunks as they come, the usage and cost of the last one in the panel', async () => {
	const supplied = await model();
	const texts = [];
	for await (const chunk of await supplied.response.stream('Stream this answer please')) {
		texts.push(chunk.content);
	}
	assert.equal(texts.join(''), 'Echo: Stream this answer please');
	assert.ok(texts.filter(Boolean).length >= 2, `${texts.length} chunks`);
	assert.ok(
		texts.every((t) => typeof t === 'string'),
		'every chunk’s content is text',
	);
	const { body } = onlyRequest();
	assert.equal(body.stream, true);
	assert.deepEqual(body.stream_options, { include_usage: true });
	const [{ output }] = panel(supplied);
	assert.deepEqual(output.tokenUsage, { completionTokens: 5, promptTokens: 5, totalTokens: 10 });
	assert.deepEqual(output.response.generations[0][0], {
		text: 'Echo: Stream this answer please',
		generationInfo: {
			finish_reason: 'stop',
			model: 'mistral-small-2503',
			provider: 'mistral',
			cost_eur: catalogueEur('mistral-small-2503', 5, 5),
		},
	});
});

test('a streamed call waits out a 429 before its first chunk, as a generated one does', async () => {
	const supplied = await model();
	let text = '';
	for await (const chunk of await supplied.response.stream('[[fault:429:1]] stream')) {
		text += chunk.content;
	}
	assert.equal(text, 'Echo: [[fault:429:1]] stream');
	assert.deepEqual(
		server.chatRequests().map((r) => r.status),
		[429, 200],
	);
});

const weatherTool = {
	type: 'function',
	function: {
		name: 'get_weather',
		description: 'The weather in a city',
		parameters: { type: 'object', properties: { input: { type: 'string' } }, required: ['input'] },
	},
};

test('a tool call and its result round-trip (router fields on both requests)', async () => {
	const { response } = await model(chatModelParameters({ routerOptions: { euNative: true } }));
	const withTools = response.bindTools([weatherTool]);
	const first = await withTools.invoke([['human', 'Weather in Vienna?']]);
	assert.deepEqual(first.tool_calls, [
		{ id: 'call_1', name: 'get_weather', args: { input: 'Weather in Vienna?' }, type: 'tool_call' },
	]);
	const second = await withTools.invoke([
		['human', 'Weather in Vienna?'],
		first,
		{ role: 'tool', content: 'Sunny, 21 °C', tool_call_id: 'call_1' },
	]);
	assert.equal(second.tool_calls.length, 0);
	assert.match(second.content, /Sunny, 21 °C/);

	const [toolRequest, answerRequest] = server.chatRequests().map((r) => r.body);
	assert.deepEqual(toolRequest.tools, [weatherTool]);
	assert.equal(toolRequest.eu_native, true);
	assert.deepEqual(answerRequest.messages, [
		{ role: 'user', content: 'Weather in Vienna?' },
		{
			role: 'assistant',
			content: '',
			tool_calls: [
				{
					id: 'call_1',
					type: 'function',
					function: { name: 'get_weather', arguments: '{"input":"Weather in Vienna?"}' },
				},
			],
		},
		{ role: 'tool', content: 'Sunny, 21 °C', tool_call_id: 'call_1' },
	]);
	assert.equal(answerRequest.eu_native, true);
});

test('a 429 is retried, and the retry succeeds', async () => {
	const { response } = await model();
	const answer = await response.invoke('[[fault:429:1]] hello');
	assert.equal(answer.content, 'Echo: [[fault:429:1]] hello');
	assert.deepEqual(
		server.chatRequests().map((r) => r.status),
		[429, 200],
	);
});

test('retries stop after Max Retries; the last failure reaches the caller with the status and the API’s message', async () => {
	const { response } = await model(chatModelParameters({ options: { maxRetries: 1 } }));
	const error = await response.invoke('[[fault:503:5]] busy').then(
		() => null,
		(e) => e,
	);
	assert.ok(error, 'the call failed');
	assert.deepEqual(
		server.chatRequests().map((r) => r.status),
		[503, 503],
	);
	assert.equal(String(error.status ?? error.httpCode), '503');
	assert.match(error.message, /Service unavailable: all providers for this model are overloaded/);

	server.reset();
	const once = await model(chatModelParameters({ options: { maxRetries: 0 } }));
	await assert.rejects(once.response.invoke('[[fault:429:5]] busy'));
	assert.equal(server.chatRequests().length, 1);
});

test('a 401 is not retried and surfaces as a NodeApiError with the API’s message, without the key', async () => {
	const { response } = await model(chatModelParameters(), { apiKey: 'sk-wrong-key-123' });
	const error = await response.invoke('Hi').then(
		() => null,
		(e) => e,
	);
	assert.ok(error instanceof NodeApiError, `got ${error?.constructor?.name}: ${error?.message}`);
	assert.equal(error.httpCode, '401');
	assert.match(`${error.message} ${error.description ?? ''}`, /Invalid API key/);
	assert.equal(server.chatRequests().length, 1);
	assert.doesNotMatch(
		JSON.stringify({ message: error.message, description: error.description }),
		/sk-wrong-key-123/,
	);
});

test('the timeout option bounds one request (and the default is long enough for reasoning answers)', async () => {
	const { response } = await model(chatModelParameters({ options: { timeout: 1, maxRetries: 0 } }));
	const started = Date.now();
	await assert.rejects(response.invoke('[[fault:delay-3000]] slow'));
	const took = Date.now() - started;
	assert.ok(took >= 900 && took < 2900, `took ${took} ms`);
	assert.equal((await model()).response.chatModel.settings.timeout, 600_000);
});

test('tokens are counted locally (4 characters a token), without downloading a tokenizer', async () => {
	const { response } = await model();
	const realFetch = globalThis.fetch;
	const fetched = [];
	globalThis.fetch = async (url, ...rest) => {
		fetched.push(String(url));
		return realFetch(url, ...rest);
	};
	try {
		assert.equal(await response.getNumTokens('hello world, how are you'), 6);
		assert.equal(
			await response.getNumTokens([{ type: 'text', text: 'abcdefgh' }, { type: 'image_url' }]),
			2,
		);
		assert.deepEqual(fetched, []);
	} finally {
		globalThis.fetch = realFetch;
	}
});

test('the sub-node’s own bad input fails before any request, naming the field', async () => {
	await assert.rejects(
		model(chatModelParameters({ model: { __rl: true, mode: 'id', value: ' ' } })),
		{
			message: 'Model: no model is selected',
		},
	);
	await assert.rejects(model(chatModelParameters({ options: { timeout: 0 } })), {
		message: 'Options → Timeout (Seconds): 0 is not a number of at least 1',
	});
	assert.equal(server.chatRequests().length, 0);
	assert.equal(NODE_NAME, 'Cortecs Chat Model');
});

test('Response Format JSON Schema: the schema and strict sent as the Cortecs node sends them; the answer follows it', async () => {
	const schema = {
		type: 'object',
		properties: { name: { type: 'string' }, age: { type: 'integer' } },
		required: ['name', 'age'],
	};
	const { response } = await model(
		chatModelParameters({
			options: {
				responseFormat: 'json_schema',
				jsonSchema: JSON.stringify({ name: 'person', schema, strict: true }),
			},
		}),
	);
	const answer = await response.invoke('Who?');
	assert.deepEqual(onlyRequest().body, {
		model: 'mistral-small-2503',
		messages: [{ role: 'user', content: 'Who?' }],
		response_format: {
			type: 'json_schema',
			json_schema: { name: 'person', schema, strict: true },
		},
	});
	assert.deepEqual(Object.keys(JSON.parse(answer.content)).sort(), ['age', 'name']);

	server.reset();
	const bad = model(
		chatModelParameters({ options: { responseFormat: 'json_schema', jsonSchema: '{"type":' } }),
	);
	await assert.rejects(bad, (error) => {
		assert.ok(error instanceof NodeOperationError);
		assert.match(error.message, /^Options → Response JSON Schema: not valid JSON/);
		return true;
	});
	assert.equal(server.chatRequests().length, 0);
});

/** A small PNG and PDF, as n8n's nodes encode binary data. */
const PNG_BASE64 =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const PDF_BASE64 = Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n').toString(
	'base64',
);

test('images and PDFs in LangChain messages (as the AI Agent and the LLM Chain hand them over) reach Cortecs byte-exact', async () => {
	const { response } = await model();
	await response.invoke([
		[
			'human',
			[
				{ type: 'text', text: 'What is in these files?' },
				// The AI Agent's binary passthrough and the Basic LLM Chain's "Image (Binary)".
				{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
				{ type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'low' } },
				// The AI Agent's PDF passthrough.
				{
					type: 'file',
					source_type: 'base64',
					mime_type: 'application/pdf',
					data: PDF_BASE64,
					metadata: { filename: 'invoice.pdf' },
				},
				// LangChain's standard image block.
				{ type: 'image', mimeType: 'image/png', data: PNG_BASE64 },
			],
		],
	]);
	assert.deepEqual(onlyRequest().body.messages, [
		{
			role: 'user',
			content: [
				{ type: 'text', text: 'What is in these files?' },
				{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
				{ type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'low' } },
				{
					type: 'file',
					file: { filename: 'invoice.pdf', file_data: `data:application/pdf;base64,${PDF_BASE64}` },
				},
				{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
			],
		},
	]);
});

test('a file type no Cortecs model reads fails the call before anything is sent, saying what is read', async () => {
	const { response } = await model();
	const error = await response
		.invoke([['human', [{ type: 'audio', mimeType: 'audio/wav', data: 'UklGRg==' }]]])
		.catch((e) => e);
	assert.ok(error instanceof NodeOperationError, `got ${error?.constructor?.name}`);
	assert.equal(
		error.message,
		'The model was handed a file of type audio/wav, which Cortecs does not take',
	);
	assert.match(error.description, /images \(PNG, JPEG, WebP, GIF\) and PDFs/);
	assert.equal(server.chatRequests().length, 0);
});

test('a 429 with Retry-After is waited for as asked and does not use up Max Retries', async () => {
	const { response } = await model(chatModelParameters({ options: { maxRetries: 1 } }));
	const answer = await response.invoke('[[fault:429:2]] busy');
	assert.equal(answer.content, 'Echo: [[fault:429:2]] busy');
	const requests = server.chatRequests();
	// Max Retries 1 allows two sends; the 429s asked to wait (Retry-After: 1) and were not counted.
	assert.deepEqual(
		requests.map((r) => r.status),
		[429, 429, 200],
	);
	for (let i = 1; i < requests.length; i++) {
		const waited = requests[i].at - requests[i - 1].at;
		assert.ok(waited >= 950, `waited ${waited} ms before request ${i + 1}`);
	}
});

test('a 401 is a NodeApiError with the Cortecs node’s hint; a key an answer quotes is redacted', async () => {
	const { response } = await model(chatModelParameters(), { apiKey: 'sk-wrong-key-123' });
	const error = await response.invoke('Hi').catch((e) => e);
	assert.ok(error instanceof NodeApiError);
	assert.equal(error.message, 'Cortecs API error 401: Invalid API key');
	assert.equal(
		error.description,
		'The API key is invalid, or the prepaid balance of its Cortecs project is empty. Check the key in the Cortecs API credential and the balance in the Cortecs console.',
	);

	server.reset();
	const echoed = await (await model()).response.invoke('[[fault:echo-auth]] Hi').catch((e) => e);
	assert.ok(echoed instanceof NodeApiError);
	assert.equal(echoed.httpCode, '401');
	assert.doesNotMatch(JSON.stringify({ ...echoed, message: echoed.message }), /test-key-valid/);
	assert.match(JSON.stringify(echoed.errorResponse), /\[redacted\]/);
});

test('streamed parallel tool calls arrive as separate calls (each its own index)', async () => {
	const { response } = await model();
	const otherTool = {
		type: 'function',
		function: {
			name: 'get_time',
			description: 'The time in a city',
			parameters: { type: 'object', properties: { input: { type: 'string' } } },
		},
	};
	const withTools = response.bindTools([weatherTool, otherTool], { parallel_tool_calls: true });
	let message;
	for await (const chunk of await withTools.stream('Vienna?')) {
		message = message ? message.concat(chunk) : chunk;
	}
	assert.deepEqual(
		message.tool_calls.map(({ name, args }) => ({ name, args })),
		[
			{ name: 'get_weather', args: { input: 'Vienna?' } },
			{ name: 'get_time', args: { input: 'Vienna?' } },
		],
	);
	const { body } = onlyRequest();
	assert.equal(body.parallel_tool_calls, true);
	assert.deepEqual(body.tools, [weatherTool, otherTool]);
});
