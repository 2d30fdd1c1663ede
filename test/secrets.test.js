/**
 * The API key never leaks: a canary key is used for every fault the node can meet, and it must not appear
 * in any output item, error (message, description, stack, cause, context, errorResponse... hidden fields
 * included), nor in anything written to the console, stdout/stderr or n8n's loggers during the run.
 * And the key is only ever sent to the configured Base URL: never to a redirect target on another origin,
 * never with the catalogue calls.
 */
const crypto = require('node:crypto');
const diagnostics = require('node:diagnostics_channel');
const http = require('node:http');

const { startCortecsServer } = require('../tools/cortecs-server');
const { useCortecsServer } = require('./server-fixture');
const { runNode, chat, say, dumpAll, dumpRun, captureLogs } = require('./error-helpers');
const { searchModels, testCredential } = require('../tools/harness/routing');

const CANARY = `sk-canary-${crypto.randomBytes(12).toString('hex')}`;

const server = useCortecsServer({ keys: { valid: [CANARY] } });

async function closedPortUrl() {
	const closed = await startCortecsServer();
	const { url } = closed;
	await closed.close();
	return url;
}

/** A server on another origin that answers every request with a redirect to `target` (same path). */
async function startRedirector(status, target) {
	const seen = [];
	const redirector = http.createServer((req, res) => {
		seen.push({ method: req.method, url: req.url, headers: req.headers });
		req.resume();
		req.on('end', () => {
			res.writeHead(status, { location: `${target}${req.url.replace(/^\/v1/, '')}` });
			res.end();
		});
	});
	await new Promise((resolve) => redirector.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${redirector.address().port}/v1`,
		seen,
		close: () => new Promise((resolve) => redirector.close(resolve)),
	};
}

const models = {
	resource: 'model',
	operation: 'getAll',
	returnAll: true,
	throughput: { maxRetries: 0 },
};

/** [name, parameters, options]: every fault of the other suites, plus success paths. */
const SCENARIOS = [
	['success', chat()],
	['success, streamed', chat({ options: { stream: true } })],
	[
		'success, raw output, cost estimated from the catalogue',
		chat({ simplify: false }),
		{ noCost: true },
	],
	...[
		'400',
		'401',
		'402',
		'403',
		'404',
		'408',
		'413',
		'422',
		'429',
		'500',
		'502',
		'503',
		'504',
	].map((status) => [`HTTP ${status}`, say(`[[fault:${status}]]`)]),
	['{"error": "..."}', say('[[fault:shape-string]]')],
	['{"detail": "..."}', say('[[fault:shape-detail]]')],
	['{"message": "..."}', say('[[fault:shape-message]]')],
	['HTML error page', say('[[fault:html]]')],
	['200 not JSON', say('[[fault:not-json]]')],
	['empty body', say('[[fault:empty]]')],
	['SSE cut', say('[[fault:sse-cut]]', { options: { stream: true } })],
	['connection reset mid-response', say('[[fault:reset]]')],
	['connection closed before answering', say('[[fault:drop]]')],
	['timeout', say('[[fault:hang]]', { throughput: { maxRetries: 0, timeout: 1 } })],
	['retried, then failed', say('[[fault:500]]', { throughput: { maxRetries: 1 } })],
	['an error body that quotes the Authorization header', say('[[fault:echo-auth]]')],
	['unknown model', chat({ model: { __rl: true, mode: 'id', value: 'no-such-model' } })],
	['provider filter', chat({ routerOptions: { allowedProviders: ['ionos'] } })],
	['wrong Base URL path', chat(), { baseUrl: () => server.url.replace(/\/v1$/, '') }],
	['connection refused', chat(), { baseUrl: closedPortUrl, noServer: true }],
	[
		'TLS handshake failure',
		chat(),
		{ baseUrl: () => server.url.replace(/^http:/, 'https:'), noServer: true },
	],
	['bad input: no messages', chat({ messages: { message: [] } }), { noRequest: true }],
	[
		'bad input: temperature',
		chat({ options: { temperature: '={{ "abc" }}' } }),
		{ noRequest: true },
	],
	['bad input: tools', chat({ options: { tools: '[{' } }), { noRequest: true }],
	['Model → Get Many', models, { noAuthCheck: true }],
	[
		'Model → Get Many, wrong Base URL',
		models,
		{ baseUrl: () => server.url.replace(/\/v1$/, '/api'), noAuthCheck: true },
	],
];

describe('a canary API key never appears in outputs, errors or logs', () => {
	test('the log capture sees the console, stdout and n8n-core’s logger', () => {
		const capture = captureLogs();
		try {
			console.warn('probe-console');
			capture.logger.error('probe-logger', { detail: 'probe-meta' });
			process.stderr.write('');
		} finally {
			capture.stop();
		}
		expect(capture.text()).toContain('probe-console');
		expect(capture.text()).toContain('probe-logger');
		expect(capture.text()).toContain('probe-meta');
	});

	test('the dump sees hidden error fields', () => {
		const error = new Error('visible');
		Object.defineProperty(error, 'secret', { value: { deep: ['needle-1'] }, enumerable: false });
		error.cause = { config: { headers: { Authorization: 'Bearer needle-2' } } };
		const text = dumpAll({ items: [{ json: {}, error }] });
		expect(text).toContain('needle-1');
		expect(text).toContain('needle-2');
	});

	test.each(SCENARIOS)('%s', async (_name, parameters, options = {}) => {
		if (options.noCost) server.configure({ includeCost: false });
		const baseUrl = options.baseUrl ? await options.baseUrl() : server.url;
		const capture = captureLogs();
		const runs = [];
		try {
			for (const continueOnFail of [true, false]) {
				runs.push(await runNode({ baseUrl, apiKey: CANARY, parameters, continueOnFail }));
			}
		} finally {
			capture.stop();
			server.configure({ includeCost: true });
		}
		for (const run of runs) {
			const text = dumpRun(run);
			expect(text).not.toContain(CANARY);
			// The dump is real: it holds the item or the error.
			expect(text).toMatch(run.error ? /NodeApiError/ : /"json"|json/);
		}
		expect(capture.text()).not.toContain(CANARY);
		// The key really was in play: the server saw it (where a request was sent at all).
		const chats = server.chatRequests();
		if (options.noRequest) expect(server.requests).toHaveLength(0);
		else if (!options.noServer && !options.noAuthCheck && baseUrl === server.url) {
			expect(chats.length).toBeGreaterThan(0);
			for (const request of chats) expect(request.headers.authorization).toBe(`Bearer ${CANARY}`);
		}
	});

	test('the quoted key is redacted, the rest of the message kept', async () => {
		const { items } = await runNode({
			baseUrl: server.url,
			apiKey: CANARY,
			parameters: say('[[fault:echo-auth]]'),
			continueOnFail: true,
		});
		expect(items[0].json.error).toBe('Cortecs API error 401: Invalid API key: Bearer [redacted]');
		expect(items[0].error.errorResponse.body.received_headers).toEqual({
			authorization: 'Bearer [redacted]',
		});
	});

	test('the list search and the credential test keep the key out of their results and logs', async () => {
		const capture = captureLogs();
		let results;
		try {
			results = [
				await searchModels({ baseUrl: server.url, apiKey: CANARY }),
				await testCredential({ baseUrl: server.url, apiKey: CANARY }),
				await testCredential({ baseUrl: server.url, apiKey: `${CANARY}-wrong` }),
				await testCredential({ baseUrl: await closedPortUrl(), apiKey: CANARY }),
			];
		} finally {
			capture.stop();
		}
		expect(results[1]).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(results[2].status).toBe('Error');
		expect(dumpAll(results)).not.toContain(CANARY);
		expect(capture.text()).not.toContain(CANARY);
	});
});

describe('errors of the HTTP client are never passed on', () => {
	// n8n-core 2.8.1 already drops the axios error (whose config.headers carry the key) from the NodeApiError
	// it throws; toCortecsError must not depend on that: it reads a code and a message, nothing else.
	const path = require('node:path');
	const { toCortecsError } = require(
		path.join(__dirname, '..', 'dist', 'nodes', 'Cortecs', 'shared', 'networkErrors.js'),
	);
	const ctx = {
		getNode: () => ({
			id: 'n',
			name: 'Cortecs',
			type: 'n8n-nodes-cortecs.cortecs',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		}),
		getItemIndex: () => 4,
	};
	const axiosLike = (code, message) => {
		const error = new Error(message);
		error.code = code;
		error.isAxiosError = true;
		error.config = {
			headers: { Authorization: `Bearer ${CANARY}` },
			url: 'http://127.0.0.1/v1/chat/completions',
		};
		error.request = {
			_header: `POST /v1/chat/completions HTTP/1.1\r\nAuthorization: Bearer ${CANARY}\r\n`,
		};
		error.response = { config: error.config, headers: {} };
		return error;
	};

	test.each([
		[
			'a known code',
			axiosLike('ECONNRESET', 'socket hang up'),
			'Could not reach the Cortecs API: connection cut mid-answer (ECONNRESET)',
		],
		[
			'wrapped as the cause',
			Object.assign(new Error('request failed'), {
				cause: axiosLike('ECONNREFUSED', 'connect ECONNREFUSED'),
			}),
			'Could not reach the Cortecs API: connection refused (ECONNREFUSED)',
		],
		[
			'an unknown error that quotes the header',
			axiosLike('EWEIRD', `failed with Authorization: Bearer ${CANARY}`),
			'Could not reach the Cortecs API: failed with Authorization: [redacted] (EWEIRD)',
		],
		[
			'an unknown error that quotes the token',
			axiosLike('EWEIRD', `token rejected: Bearer ${CANARY}, retry`),
			'Could not reach the Cortecs API: token rejected: Bearer [redacted], retry (EWEIRD)',
		],
	])('%s', (_name, raw, message) => {
		const error = toCortecsError(ctx, raw, false);
		expect(error.message).toBe(message);
		expect(error.context.itemIndex).toBe(4);
		expect(dumpAll(error)).not.toContain(CANARY);
		expect(dumpAll(error)).not.toContain('config');
	});
});

describe('the key goes to the Base URL and nowhere else', () => {
	/** Every HTTP request made in `fn`, as seen by Node's http client. */
	async function outgoing(fn) {
		const seen = [];
		const onStart = ({ request }) => {
			seen.push({
				host: request.getHeader('host'),
				path: request.path,
				method: request.method,
				authorization: request.getHeader('authorization'),
			});
		};
		diagnostics.subscribe('http.client.request.start', onStart);
		try {
			await fn();
		} finally {
			diagnostics.unsubscribe('http.client.request.start', onStart);
		}
		return seen;
	}

	test.each([
		['Chat → Complete (POST, 307)', 307, chat()],
		['Chat → Complete (POST, 308)', 308, chat()],
		['Chat → Complete (POST, 302 → GET)', 302, chat()],
		['Model → Get Many (GET, 302)', 302, models],
		['Model → Get Many (GET, 301)', 301, models],
	])(
		'a redirect to another origin does not carry the key: %s',
		async (_name, status, parameters) => {
			const redirector = await startRedirector(status, server.url);
			try {
				let result;
				const sent = await outgoing(async () => {
					result = await runNode({
						baseUrl: redirector.url,
						apiKey: CANARY,
						parameters,
						continueOnFail: true,
					});
				});
				expect(result.items.length).toBeGreaterThan(0);
				expect(dumpRun(result)).not.toContain(CANARY);
				// The Base URL got the key; the redirect target (another port, so another origin) did not.
				expect(redirector.seen).toHaveLength(1);
				expect(redirector.seen[0].headers.authorization).toBe(`Bearer ${CANARY}`);
				expect(server.requests.length).toBeGreaterThan(0);
				for (const request of server.requests) {
					expect(request.headers.authorization).toBeUndefined();
					expect(JSON.stringify(request.headers)).not.toContain(CANARY);
				}
				const baseHost = new URL(redirector.url).host;
				for (const request of sent.filter((r) => r.authorization))
					expect(request.host).toBe(baseHost);
			} finally {
				await redirector.close();
			}
		},
	);

	test('every request of a run goes to the Base URL; the catalogue call carries no key', async () => {
		server.configure({ includeCost: false }); // makes the node load the catalogue to estimate the cost
		let sent;
		try {
			sent = await outgoing(async () => {
				const { items, error } = await runNode({
					baseUrl: server.url,
					apiKey: CANARY,
					parameters: chat(),
					executionId: `exec-${Date.now()}`,
				});
				expect(error).toBeUndefined();
				expect(items[0].json.cost_estimated).toBe(true);
				await runNode({ baseUrl: server.url, apiKey: CANARY, parameters: models });
				await searchModels({ baseUrl: server.url, apiKey: CANARY });
				await testCredential({ baseUrl: server.url, apiKey: CANARY });
			});
		} finally {
			server.configure({ includeCost: true });
		}
		const baseHost = new URL(server.url).host;
		expect(sent.length).toBeGreaterThan(3);
		for (const request of sent) {
			expect(request.host).toBe(baseHost);
			expect(request.path.startsWith('/v1/')).toBe(true);
		}
		const withKey = sent.filter((r) => r.authorization);
		expect(withKey.every((r) => r.authorization === `Bearer ${CANARY}`)).toBe(true);
		// The key went to the chat endpoint, the key check and Model → Get Many (an operation of the node,
		// authenticated by n8n), all on the Base URL.
		expect(withKey.map((r) => r.path).sort()).toEqual([
			'/v1/chat/completions',
			'/v1/manage/api-keys',
			'/v1/models?currency=EUR',
		]);
		// The catalogue calls (cost estimate: /v1/models; list search: /v1/models?tag=...) carry no key.
		const catalogue = sent.filter(
			(r) => r.path === '/v1/models' || r.path.startsWith('/v1/models?tag='),
		);
		expect(catalogue.length).toBeGreaterThan(1);
		expect(catalogue.filter((r) => r.authorization)).toEqual([]);
	});

	// n8n-core re-adds the Authorization header on a cross-origin redirect unless the request sets
	// sendCredentialsOnCrossOriginRedirect to false, as the credential's `test` request does.
	test('the credential test does not carry the key across a redirect to another origin', async () => {
		const redirector = await startRedirector(302, server.url);
		try {
			await testCredential({ baseUrl: redirector.url, apiKey: CANARY });
			expect(server.requests.length).toBeGreaterThan(0);
			for (const request of server.requests) expect(request.headers.authorization).toBeUndefined();
		} finally {
			await redirector.close();
		}
	});
});
