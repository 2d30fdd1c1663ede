/**
 * API and network failures, each produced on demand by the test server and run through n8n-core's
 * RoutingNode: a NodeApiError with the HTTP status (or network code) as httpCode, the API's own message
 * and a hint, as an error item (Continue On Fail) or thrown (naming the item).
 */
const http = require('node:http');
const { NodeApiError } = require('n8n-workflow');

const { startCortecsServer, EMPTY_BALANCE_KEY } = require('../tools/cortecs-server');
const { useCortecsServer } = require('./server-fixture');
const { runNode, chat, say, errorShape } = require('./error-helpers');

const server = useCortecsServer();

/** Runs once with Continue On Fail on and once off, checks both agree, and returns the error item. */
async function failBothWays(parameters, { baseUrl = server.url, apiKey, requests = 1 } = {}) {
	const on = await runNode({ baseUrl, apiKey, parameters, continueOnFail: true });
	expect(on.error).toBeUndefined();
	expect(on.items).toHaveLength(1);
	const [item] = on.items;
	expect(item.pairedItem).toEqual({ item: 0 });
	expect(item.error).toBeInstanceOf(NodeApiError);
	expect(item.json).toEqual({
		error: item.error.message,
		description: item.error.description,
		httpCode: item.error.httpCode,
	});
	expect(item.error.context.itemIndex).toBe(0);
	if (baseUrl === server.url) expect(server.chatRequests()).toHaveLength(requests);

	server.reset();
	const off = await runNode({ baseUrl, apiKey, parameters, continueOnFail: false });
	expect(off.items).toEqual([]);
	expect(off.error).toBeInstanceOf(NodeApiError);
	expect(errorShape(off.error)).toEqual(errorShape(item.error));
	return item;
}

const HINT = {
	400: 'The router or the provider rejected a parameter. Remove options this model does not support, or check the value named in the message.',
	401: 'The API key is invalid, or the prepaid balance of its Cortecs project is empty. Check the key in the Cortecs API credential and the balance in the Cortecs console.',
	402: 'The prepaid balance is empty. Top up credits in the Cortecs console.',
	403: 'This API key may not do this. Use a key of the project that owns the resource.',
	404: 'No provider can serve this model right now. Pick another model, or turn on Routing → Enable Model Fallback.',
	408: 'The request took too long on the way to the provider. Try again later, or raise Throughput → Max Retries.',
	413: 'The request is too large. Send fewer or shorter messages, or a model with a larger context.',
	422: 'A provider rejected a field it does not know (often "Extra inputs are not permitted"). Remove the option named in the message, or pick another model.',
	429: 'Too many requests. Lower Throughput → Max Concurrent Requests, or raise Throughput → Max Retries (the node waits as long as Retry-After asks before each retry).',
	500: 'Cortecs failed unexpectedly. Try again later; with Enable Model Fallback on, the router may serve a related model.',
	502: 'The provider behind Cortecs failed. Try again later, or allow more providers or model fallback in Routing.',
	503: 'The model is unavailable right now. Try again later, or enable model fallback in Routing.',
	504: 'The provider timed out. Try again later, lower Max Tokens, or enable model fallback in Routing.',
};

describe('HTTP errors: status, the API message, a hint', () => {
	const STATUSES = [
		[400, "Invalid request: parameter 'temperature' is not supported by the selected provider"],
		[401, 'Invalid API key'],
		[402, 'Payment required: insufficient prepaid balance'],
		[403, 'Forbidden: this API key is not allowed to use this model'],
		[404, 'Not found: no provider can currently serve this model'],
		[408, 'Request timed out'],
		[413, 'Request entity too large'],
		[422, 'body.x: Extra inputs are not permitted'],
		[429, 'Rate limit exceeded: please retry later'],
		[500, 'unexpected_error'],
		[502, 'Bad gateway: upstream provider failed'],
		[503, 'Service unavailable: all providers for this model are overloaded'],
		[504, 'Upstream provider timed out'],
	];

	test.each(STATUSES)('%i', async (status, apiMessage) => {
		const item = await failBothWays(say(`[[fault:${status}]]`));
		expect(errorShape(item.error)).toEqual({
			class: 'NodeApiError',
			message: `Cortecs API error ${status}: ${apiMessage}`,
			description: HINT[status],
			httpCode: String(status),
			itemIndex: 0,
		});
	});

	test('429 keeps its own message (RoutingNode replaces it only on errors with statusCode 429)', async () => {
		const { error } = await runNode({ baseUrl: server.url, parameters: say('[[fault:429]]') });
		expect(error.message).toBe('Cortecs API error 429: Rate limit exceeded: please retry later');
		expect(error.statusCode).toBeUndefined();
	});

	test('the API body is kept on the error for the details view', async () => {
		const { error } = await runNode({ baseUrl: server.url, parameters: say('[[fault:403]]') });
		expect(error.errorResponse).toEqual({
			message: 'Cortecs API error 403: Forbidden: this API key is not allowed to use this model',
			body: {
				error: {
					message: 'Forbidden: this API key is not allowed to use this model',
					type: 'permission_error',
					param: null,
					code: 'forbidden',
				},
			},
		});
	});
});

describe('error bodies in every shape the notes list', () => {
	test.each([
		[
			'{"error": {"message": ...}}',
			'400',
			"Invalid request: parameter 'temperature' is not supported by the selected provider",
		],
		['{"error": "..."}', 'shape-string', 'Invalid parameter: temperature'],
		['{"detail": "..."}', 'shape-detail', 'Invalid request'],
		['{"detail": [{loc, msg}]}', '422', 'body.x: Extra inputs are not permitted'],
		['{"message": "..."}', 'shape-message', 'Malformed request'],
	])('%s', async (_shape, fault, apiMessage) => {
		const item = await failBothWays(say(`[[fault:${fault}]]`));
		const status = fault === '422' ? 422 : 400;
		expect(item.json).toEqual({
			error: `Cortecs API error ${status}: ${apiMessage}`,
			description: HINT[status],
			httpCode: String(status),
		});
	});

	test('an HTML error page: the status and its title, never the page', async () => {
		const item = await failBothWays(say('[[fault:html]]'));
		expect(item.json).toEqual({
			error: 'Cortecs API error 502: Bad Gateway',
			description: `The answer was an HTML page, not the API (a proxy or gateway in between?). ${HINT[502]}`,
			httpCode: '502',
		});
		expect(JSON.stringify(item.error.errorResponse)).not.toContain('<html');
	});
});

describe('401 and 404 say what to do', () => {
	test('401 for an unknown key: invalid key or empty prepaid balance', async () => {
		const item = await failBothWays(chat(), { apiKey: 'not-a-key' });
		expect(item.json).toEqual({
			error: 'Cortecs API error 401: Invalid API key',
			description: HINT[401],
			httpCode: '401',
		});
		expect(item.json.description).toMatch(/invalid.*prepaid balance.*empty/);
	});

	test('401 for a key whose prepaid balance is empty', async () => {
		const item = await failBothWays(chat(), { apiKey: EMPTY_BALANCE_KEY });
		expect(item.json).toEqual({
			error: 'Cortecs API error 401: Insufficient balance: top up your prepaid credits',
			description: HINT[401],
			httpCode: '401',
		});
	});

	test('404 for an unknown model id', async () => {
		const item = await failBothWays(
			chat({ model: { __rl: true, mode: 'id', value: 'no-such-model' } }),
		);
		expect(item.json).toEqual({
			error: "Cortecs API error 404: Model 'no-such-model' not found",
			description:
				'The model id is unknown. Pick a model from the list (it shows the live catalogue), or check the id for typos.',
			httpCode: '404',
		});
	});

	const relax = (filters) =>
		`No provider that Routing allows can serve this model. Relax Routing → ${filters}, or pick another model.`;

	test.each([
		[
			'Allowed Providers',
			{ allowedProviders: ['ionos'] },
			'mistral-small-2503',
			'Allowed Providers',
		],
		[
			'Allowed Providers as a comma-separated expression',
			{ allowedProviders: '={{ "ionos, aki" }}' },
			'mistral-small-2503',
			'Allowed Providers',
		],
		[
			'Allowed Providers and EU Native',
			{ allowedProviders: ['google'], euNative: true },
			'pixtral-large-2411',
			'Allowed Providers, EU Native',
		],
	])(
		'404 "Provider not in allowed providers" names the filter to relax: %s',
		async (_name, routerOptions, model, filters) => {
			const item = await failBothWays(
				chat({ model: { __rl: true, mode: 'id', value: model }, routerOptions }),
			);
			expect(item.json).toEqual({
				error: 'Cortecs API error 404: Provider not in allowed providers',
				description: relax(filters),
				httpCode: '404',
			});
		},
	);

	test('404 names Zero Data Retention and Quantization when those are what the user narrowed', async () => {
		const routerOptions = {
			allowZeroDataRetention: true,
			allowQuantization: false,
			euNative: false,
			allowedProviders: [],
		};
		const item = await failBothWays(say('[[fault:404]]', { routerOptions }));
		expect(item.json.description).toBe(
			relax('Allow Zero Data Retention Only, Allow Quantization (turn it back on)'),
		);
	});

	test('an empty Allowed Providers list is not a filter', async () => {
		const item = await failBothWays(
			say('[[fault:404]]', { routerOptions: { allowedProviders: [], allowQuantization: true } }),
		);
		expect(item.json.description).toBe(HINT[404]);
	});

	test('404 from a wrong Base URL (FastAPI "Not Found") points at the Base URL', async () => {
		const item = await failBothWays(chat(), { baseUrl: server.url.replace(/\/v1$/, '') });
		expect(item.json).toEqual({
			error: 'Cortecs API error 404: Not Found',
			description:
				'Nothing answers at this address. Check that the Base URL of the Cortecs API credential ends in /v1 (https://api.cortecs.ai/v1).',
			httpCode: '404',
		});
	});
});

describe('network failures and broken answers', () => {
	const NOT_JSON_HINT =
		'The Base URL may point at a proxy, a gateway or a web page rather than the API (it should end in /v1).';

	test('connection refused', async () => {
		const closed = await startCortecsServer();
		const baseUrl = closed.url;
		await closed.close();
		const item = await failBothWays(chat(), { baseUrl });
		expect(item.json).toEqual({
			error: 'Could not reach the Cortecs API: connection refused (ECONNREFUSED)',
			description:
				'Nothing answers at the Base URL of the Cortecs API credential. Check the URL (https://api.cortecs.ai/v1), and any proxy or firewall in between.',
			httpCode: 'ECONNREFUSED',
		});
	});

	const RESET = {
		error: 'Could not reach the Cortecs API: connection cut mid-answer (ECONNRESET)',
		description:
			'The connection closed before the answer was complete (network, proxy or provider trouble). Try again later; raise Throughput → Max Retries to retry such items automatically.',
		httpCode: 'ECONNRESET',
	};

	test('connection reset mid-response', async () => {
		expect((await failBothWays(say('[[fault:reset]]'))).json).toEqual(RESET);
	});

	test('connection reset mid-stream', async () => {
		expect(
			(await failBothWays(say('[[fault:reset]]', { options: { stream: true } }))).json,
		).toEqual(RESET);
	});

	test('connection closed before any answer (socket hang up)', async () => {
		expect((await failBothWays(say('[[fault:drop]]'))).json).toEqual(RESET);
	});

	test('timeout: no answer within Timeout (Seconds)', async () => {
		const started = Date.now();
		const item = await failBothWays(
			say('[[fault:hang]]', { throughput: { maxRetries: 0, timeout: 1 } }),
		);
		expect(item.json).toEqual({
			error: 'Could not reach the Cortecs API: timed out (ETIMEDOUT)',
			description:
				'No complete answer within the Timeout. Raise Throughput → Timeout (Seconds), lower Options → Max Tokens, or try again later.',
			httpCode: 'ETIMEDOUT',
		});
		expect(Date.now() - started).toBeLessThan(5000);
	});

	test('a 200 whose body is not JSON', async () => {
		const item = await failBothWays(say('[[fault:not-json]]'));
		expect(item.json).toEqual({
			error: 'Cortecs API returned a body that is not JSON',
			description: NOT_JSON_HINT,
			httpCode: '200',
		});
	});

	test('a 200 with an HTML page', async () => {
		const portal = http.createServer((req, res) => {
			req.resume();
			res.writeHead(200, { 'content-type': 'text/html' });
			res.end('<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>');
		});
		await new Promise((resolve) => portal.listen(0, '127.0.0.1', resolve));
		try {
			const item = await failBothWays(chat(), {
				baseUrl: `http://127.0.0.1:${portal.address().port}/v1`,
			});
			expect(item.json).toEqual({
				error: 'Cortecs API returned an HTML page instead of JSON',
				description: NOT_JSON_HINT,
				httpCode: '200',
			});
		} finally {
			await new Promise((resolve) => portal.close(resolve));
		}
	});

	test('an empty body', async () => {
		const item = await failBothWays(say('[[fault:empty]]'));
		expect(item.json).toEqual({
			error: 'Cortecs API returned an empty answer',
			description:
				'The API answered without a body. Try again; if it persists, check the Base URL.',
			httpCode: '200',
		});
	});

	test.each([
		['with Stream on', { stream: true }],
		['with Stream off (the upstream streamed anyway)', {}],
	])('an SSE stream cut before [DONE], %s', async (_name, options) => {
		const item = await failBothWays(
			say('a longer message to stream [[fault:sse-cut]]', { options }),
		);
		expect(item.json.error).toBe('The Cortecs stream was cut before it finished');
		expect(item.json.httpCode).toBe('200');
		expect(item.json.description).toMatch(/^The answer stopped before \[DONE\]/);
	});

	test('https:// to a plain-HTTP server: the TLS handshake fails', async () => {
		const item = await failBothWays(chat(), { baseUrl: server.url.replace(/^http:/, 'https:') });
		expect(item.json.httpCode).toBe('EPROTO');
		expect(item.json.error).toMatch(/^Could not reach the Cortecs API: .*EPROTO/);
		expect(item.json.error).not.toMatch(/\n/);
		expect(item.json.description).toMatch(
			/^The secure connection failed\. Check that the Base URL .* uses the right scheme/,
		);
		expect(server.requests).toHaveLength(0);
	});

	describe('redirects the HTTP client does not follow', () => {
		let redirecting;
		beforeAll(async () => {
			redirecting = http.createServer((req, res) => {
				req.resume();
				req.on('end', () => {
					// /loop/... redirects to itself for ever; anything else is a 302 without a Location.
					if (req.url.startsWith('/loop/'))
						res.writeHead(302, {
							location: `http://127.0.0.1:${redirecting.address().port}${req.url}`,
						});
					else res.writeHead(302, { 'content-type': 'text/plain' });
					res.end('moved');
				});
			});
			await new Promise((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
		});
		afterAll(async () => {
			await new Promise((resolve) => redirecting.close(resolve));
		});

		test('a 3xx without Location is an error, not an empty result', async () => {
			const item = await failBothWays(chat(), {
				baseUrl: `http://127.0.0.1:${redirecting.address().port}/v1`,
			});
			expect(item.json).toEqual({
				error: 'Cortecs API error 302: moved',
				description:
					'The Base URL answers with a redirect. Set the Base URL of the Cortecs API credential to the address of the API itself (https://api.cortecs.ai/v1).',
				httpCode: '302',
			});
		});

		test('a redirect loop', async () => {
			const item = await failBothWays(chat(), {
				baseUrl: `http://127.0.0.1:${redirecting.address().port}/loop/v1`,
			});
			expect(item.json).toEqual({
				error: 'Could not reach the Cortecs API: too many redirects (ERR_FR_TOO_MANY_REDIRECTS)',
				description:
					'The Base URL redirects again and again. Set the Base URL of the Cortecs API credential to the address of the API itself (https://api.cortecs.ai/v1).',
				httpCode: 'ERR_FR_TOO_MANY_REDIRECTS',
			});
		});
	});

	test('retried failures say how often they were sent, and still give one item', async () => {
		const item = await failBothWays(say('[[fault:500]]', { throughput: { maxRetries: 1 } }), {
			requests: 2,
		});
		expect(item.json).toEqual({
			error: 'Cortecs API error 500: unexpected_error',
			description: `${HINT[500]} (Sent 2 times.)`,
			httpCode: '500',
		});
	});

	test('a flaky item that succeeds on retry is one ordinary result', async () => {
		const { items, error } = await runNode({
			baseUrl: server.url,
			parameters: say('[[fault:502:1]]', { throughput: { maxRetries: 1 } }),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json.content).toBe('Echo: [[fault:502:1]]');
		expect(server.chatRequests().map((r) => r.status)).toEqual([502, 200]);
	});
});

describe('Model → Get Many fails the same way', () => {
	const models = {
		resource: 'model',
		operation: 'getAll',
		returnAll: true,
		throughput: { maxRetries: 0 },
	};

	test('wrong Base URL', async () => {
		const item = await failBothWays(models, { baseUrl: server.url.replace(/\/v1$/, '/api') });
		expect(item.json.error).toBe('Cortecs API error 404: Not Found');
		expect(item.json.description).toMatch(/Base URL .* ends in \/v1/);
	});

	test('connection refused', async () => {
		const closed = await startCortecsServer();
		const baseUrl = closed.url;
		await closed.close();
		const item = await failBothWays(models, { baseUrl });
		expect(item.json.httpCode).toBe('ECONNREFUSED');
	});
});
