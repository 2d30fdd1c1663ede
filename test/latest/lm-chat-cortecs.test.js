'use strict';
/**
 * The Cortecs Chat Model inside the newest n8n line: the node's supplyData run by n8n-core's
 * SupplyDataContext, the chat model built by n8n's own @n8n/ai-node-sdk, real HTTP to the loopback
 * Cortecs server. Runs on Node 24 with the modules of the cached n8n install:
 *   npm run test:chat-model
 */
const assert = require('node:assert/strict');
const http = require('node:http');
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
const { NodeApiError } = n8nModule('n8n-workflow');

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
		// LangChain's ChatOpenAI states `stream: false` on every non-streaming request.
		stream: false,
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
		stream: false,
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

test('the Bearer key goes to the Base URL, and not along a redirect to another host', async () => {
	const { response } = await model();
	await response.invoke('Hi');
	assert.equal(onlyRequest().headers.authorization, `Bearer ${VALID_KEY}`);

	// A Base URL that redirects to another origin: that origin must not see the key.
	const seen = [];
	const elsewhere = http.createServer((req, res) => {
		seen.push(req.headers);
		res.writeHead(401, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ error: { message: 'Invalid API key' } }));
	});
	await new Promise((r) => elsewhere.listen(0, '127.0.0.1', r));
	const redirecting = http.createServer((req, res) => {
		res.writeHead(307, { location: `http://localhost:${elsewhere.address().port}${req.url}` });
		res.end();
	});
	await new Promise((r) => redirecting.listen(0, '127.0.0.1', r));
	try {
		const redirected = await supplyModel({
			baseUrl: `http://127.0.0.1:${redirecting.address().port}/v1`,
			parameters: chatModelParameters({ options: { maxRetries: 0 } }),
		});
		await assert.rejects(redirected.response.invoke('Hi'));
		assert.ok(seen.length >= 1, 'the redirect was followed');
		for (const headers of seen) assert.equal(headers.authorization, undefined);
	} finally {
		redirecting.close();
		elsewhere.close();
	}
});

test('token usage appears in the sub-node’s output, as for n8n’s own chat models', async () => {
	const supplied = await model();
	await supplied.response.invoke('Count these words please');
	const runs = supplied.runData();
	assert.equal(runs.length, 1);
	const [[item]] = runs[0].data.ai_languageModel;
	assert.deepEqual(JSON.parse(JSON.stringify(item.json.tokenUsage)), {
		completionTokens: 5,
		promptTokens: 5,
		totalTokens: 10,
	});
	assert.equal(item.json.response.generations[0][0].text, 'Echo: Count these words please');
});

test('streaming: the answer is assembled from the chunks, with usage from the last one', async () => {
	const supplied = await model();
	let text = '';
	let chunks = 0;
	for await (const chunk of await supplied.response.stream('Stream this answer please')) {
		text += chunk.content;
		chunks++;
	}
	assert.equal(text, 'Echo: Stream this answer please');
	assert.ok(chunks >= 3, `${chunks} chunks`);
	const { body } = onlyRequest();
	assert.equal(body.stream, true);
	assert.deepEqual(body.stream_options, { include_usage: true });
	const [[item]] = supplied.runData()[0].data.ai_languageModel;
	assert.deepEqual(JSON.parse(JSON.stringify(item.json.tokenUsage)), {
		completionTokens: 5,
		promptTokens: 5,
		totalTokens: 10,
	});
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
	assert.equal((await model()).response.timeout, 600_000);
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
