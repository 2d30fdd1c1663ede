'use strict';

/**
 * The contract suite itself: it passes against the bundled server, sends only what each check needs,
 * finds a difference when the server breaks an assumption, keeps to the spending cap, and ends with a
 * clear message (not a crash) when the target is unreachable, not Cortecs, or rejects the key.
 */
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { runContract } = require('./contract');
const { main } = require('./run');
const { CHECKS, PROMPT } = require('./checks');
const { VALID_KEY } = require('../../tools/cortecs-server');
const { useCortecsServer } = require('../server-fixture');

const server = useCortecsServer({}, { includeCost: true, capacity: null });

const ALL_IDS = CHECKS.map((c) => c.id);

function results(report) {
	return Object.fromEntries(report.checks.map((c) => [c.id, c.result]));
}

function expectedResults(overrides = {}) {
	const out = Object.fromEntries(ALL_IDS.map((id) => [id, 'pass']));
	return { ...out, ...overrides };
}

/** runContract against the bundled test server, with the valid key. */
const againstServer = (options = {}) =>
	runContract({ target: 'server', baseUrl: server.url, apiKey: VALID_KEY, server, ...options });

async function closedPort() {
	const probe = net.createServer();
	await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
	const { port } = probe.address();
	await new Promise((resolve) => probe.close(resolve));
	return port;
}

async function runMain(env) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-'));
	const lines = [];
	const code = await main(
		{ ...env, CORTECS_CONTRACT_REPORT: path.join(dir, 'report.json') },
		(line) => lines.push(line),
	);
	const file = path.join(dir, 'report.json');
	const report = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
	fs.rmSync(dir, { recursive: true, force: true });
	return { code, output: lines.join('\n'), report };
}

describe('against the bundled test server', () => {
	test('npm run test:contract without a key: every check passes, table and report written', async () => {
		const { code, output, report } = await runMain({});
		expect(code).toBe(0);
		expect(results(report)).toEqual(expectedResults());
		expect(report).toMatchObject({ target: 'server', error: null, failed: 0 });
		expect(output).toMatch(/^check +expected +seen +pass$/m);
		expect(output).toMatch(/^chat\.completion +status=200 .* ok$/m);
		expect(output).toMatch(/^embeddings +.* ok$/m);
		expect(output).toMatch(/passed, 0 failed, .* spent \d+ µEUR/);
	});

	test('each check sends only what it needs (router fields one at a time, max_tokens of a few tokens)', async () => {
		const report = await againstServer();
		expect(results(report)).toEqual(expectedResults());
		const chats = server.chatRequests().map((r) => r.body);
		const model = report.models.chat;
		for (const [field, value] of [
			['preference', 'cost'],
			['eu_native', false],
			['allow_quantization', true],
			['allow_zero_data_retention', false],
			['enable_model_fallback', true],
		]) {
			expect(chats).toContainEqual({ model, messages: PROMPT, max_tokens: 1, [field]: value });
		}
		expect(chats).toContainEqual({
			model,
			messages: PROMPT,
			max_tokens: 5,
			stream: true,
			stream_options: { include_usage: true },
		});
		expect(chats.every((b) => b.max_tokens <= 30)).toBe(true);
		// The credential checks send the credential's own request (the run's own key check aside).
		const keyChecks = server.requests
			.filter((r) => r.path.endsWith('/manage/api-keys'))
			.map((r) => [r.path, r.headers.authorization]);
		expect(keyChecks).toEqual([
			['/v1/manage/api-keys', `Bearer ${VALID_KEY}`],
			['/v1/manage/api-keys', 'Bearer contract-check-invalid-key-0000000000'],
			['/v1/manage/api-keys', `Bearer ${VALID_KEY}`],
			['/manage/api-keys', `Bearer ${VALID_KEY}`],
		]);
		expect(chats).toContainEqual({ model, messages: PROMPT, max_tokens: 5 });
		// What the run says it spent is what the answers said they cost.
		const billed = report.checks.reduce((sum, c) => sum + (c.costMicroEur ?? 0), 0);
		expect(report.spentMicroEur).toBe(billed);
		expect(report.spentMicroEur).toBeGreaterThan(0);
	});

	test('as the real API (target "api"): the server-only 429 check is skipped, the rest pass', async () => {
		const report = await runContract({ target: 'api', baseUrl: server.url, apiKey: VALID_KEY });
		expect(results(report)).toEqual(expectedResults({ 'rate-limit.429': 'skip' }));
		expect(report.checks.find((c) => c.id === 'rate-limit.429').note).toMatch(/^server-only: /);
	});

	test('an answer that breaks an assumption fails its check with the exact difference', async () => {
		server.configure({ includeCost: false });
		const { code, output, report } = await runMain({
			CORTECS_API_KEY: VALID_KEY,
			CORTECS_BASE_URL: server.url,
			CORTECS_CONTRACT_ONLY: 'chat.completion,chat.stream',
		});
		expect(code).toBe(1);
		const completion = report.checks.find((c) => c.id === 'chat.completion');
		expect(completion.result).toBe('fail');
		expect(completion.differences).toEqual([
			{ path: 'usage.cost', expected: '<an integer >= 0>', seen: undefined },
			{ path: 'usage.cost_details', expected: expect.any(Object), seen: undefined },
		]);
		expect(report.checks.find((c) => c.id === 'chat.stream').differences).toEqual([
			{ path: 'usageChunk.cost', expected: '<an integer >= 0>', seen: undefined },
		]);
		expect(output).toContain('Differences (expected → seen):');
		expect(output).toContain('    usage.cost: expected "<an integer >= 0>", seen nothing');
	});

	test('the spending cap: checks that could pass it are not sent', async () => {
		const report = await againstServer({ capEur: 0.00001 });
		const capped = report.checks.filter((c) => c.result === 'skip' && /cap/.test(c.note));
		expect(capped.length).toBeGreaterThan(0);
		expect(report.spentMicroEur).toBeLessThanOrEqual(10);
		const sent = report.checks.filter((c) => c.billable && c.result !== 'skip').length;
		const billed = [...server.chatRequests(), ...server.embeddingRequests()];
		expect(billed.filter((r) => r.status === 200)).toHaveLength(sent);
	});

	test('a wrong key: nothing billable is sent, the key checks fail, a clear message', async () => {
		const { code, output, report } = await runMain({
			CORTECS_API_KEY: 'wrong-key-0123456789',
			CORTECS_BASE_URL: server.url,
		});
		expect(code).toBe(1);
		expect(report.checks.find((c) => c.id === 'credential.valid-key').differences).toEqual([
			{ path: 'httpStatus', expected: '<one of 403, 200>', seen: 401 },
			{ path: 'result.status', expected: 'OK', seen: 'Error' },
		]);
		for (const check of report.checks.filter((c) => c.billable))
			expect(check.note ?? '').toMatch(/^not sent: the API key was rejected/);
		expect(server.chatRequests().filter((r) => r.status === 200)).toEqual([]);
		expect(output).toMatch(
			/Contract run failed: the API key was rejected \(GET \/manage\/api-keys answered 401\)/,
		);
		expect(JSON.stringify(report)).not.toContain('wrong-key-0123456789');
		expect(output).not.toContain('wrong-key-0123456789');
	});
});

describe('a target that is not a reachable Cortecs API', () => {
	test('a closed port: exit code 2 and a clear message, no stack trace', async () => {
		const port = await closedPort();
		const { code, output, report } = await runMain({
			CORTECS_API_KEY: 'wrong-key-0123456789',
			CORTECS_BASE_URL: `http://127.0.0.1:${port}/v1`,
		});
		expect(code).toBe(2);
		expect(output).toContain(
			`Contract run failed: Could not reach GET http://127.0.0.1:${port}/v1/models: connection refused (nothing listens there) (ECONNREFUSED). Check CORTECS_BASE_URL`,
		);
		expect(output).not.toMatch(/\n\s+at /);
		expect(report).toMatchObject({
			checks: [],
			spentMicroEur: 0,
			requests: { billable: 0, free: 1 },
		});
	});

	test('a web server that is not the API: exit code 2, names the Base URL', async () => {
		const fake = http.createServer((req, res) => {
			res.writeHead(404, { 'content-type': 'text/html' });
			res.end('<html><body>Not here</body></html>');
		});
		await new Promise((resolve) => fake.listen(0, '127.0.0.1', resolve));
		try {
			const base = `http://127.0.0.1:${fake.address().port}/v1`;
			const { code, output } = await runMain({
				CORTECS_API_KEY: 'wrong-key-0123456789',
				CORTECS_BASE_URL: base,
			});
			expect(code).toBe(2);
			expect(output).toContain(
				`Contract run failed: GET ${base}/models answered 404 (text/html), not the Cortecs model catalogue: CORTECS_BASE_URL must be the API itself, ending in /v1`,
			);
		} finally {
			await new Promise((resolve) => fake.close(resolve));
		}
	});

	test('a bad setting: exit code 2 before any request', async () => {
		const { code, output } = await runMain({
			CORTECS_API_KEY: 'k',
			CORTECS_CONTRACT_MAX_EUR: 'lots',
		});
		expect(code).toBe(2);
		expect(output).toBe(
			'Contract run not started: CORTECS_CONTRACT_MAX_EUR must be a number of EUR >= 0, not "lots".',
		);
	});
});
