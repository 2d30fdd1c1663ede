'use strict';
/*
 * The packed n8n-nodes-cortecs inside a real n8n, against the bundled Cortecs-compatible server
 * (test/cortecs-server.js, in this process, on loopback):
 *   1. CLI: every example workflow (and the e2e-only ones in test/e2e/workflows/) runs with `n8n execute`;
 *      node outputs and the request bodies the server received are compared with test/e2e/expected/*.json
 *      (E2E_UPDATE=1 rewrites those files: review the diff) and checked by explicit assertions.
 *   2. Server: node and credential types listed, the credential test, the model list (resource locator),
 *      a Schedule Trigger really firing, and the editor in headless Chromium.
 * global-setup.js installs n8n and Chromium and packs the package; see test/e2e/README-SECTION.md.
 */
const fs = require('fs');
const path = require('path');
const { N8n, ROOT, installTarball, sleep, stopAll } = require('../../scripts/lib/n8n-runner');
const { importAll, CREDENTIALS, EXAMPLES_DIR } = require('../../scripts/lib/setup');
const { startCortecsServer, VALID_KEY } = require('../cortecs-server');

const state = JSON.parse(process.env.E2E_STATE || 'null');
if (!state) throw new Error('E2E_STATE is missing: run the suite with `npm run test:e2e` (jest -c test/e2e/jest.config.js)');

const ARTIFACTS = path.join(ROOT, 'test', 'e2e', 'artifacts');
const EXPECTED = path.join(__dirname, 'expected');
const E2E_WORKFLOWS = path.join(__dirname, 'workflows');
const UPDATE = process.env.E2E_UPDATE === '1';
const OWNER = { email: 'e2e@example.com', password: 'Cortecs-e2e-1', firstName: 'E2E', lastName: 'Runner' };
const NODE_TYPE = 'n8n-nodes-cortecs.cortecs';
const TOOL_TYPE = 'n8n-nodes-cortecs.cortecsTool';
const SCHEDULED_COPY_ID = 'cortecsE2eSched1';
const N8N = state.install.version;

const readJson = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));
const example = (file) => readJson(path.join(EXAMPLES_DIR, file));
const tail = (text, n = 60) => String(text).split('\n').slice(-n).join('\n');

/** @type {import('../cortecs-server').CortecsServer} */
let mock;
/** @type {N8n} */
let n8n;

beforeAll(async () => {
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	mock = await startCortecsServer({ quiet: true });
	const userFolder = path.join(state.work, 'n8n-home');
	installTarball(userFolder, state.tarball);
	n8n = new N8n({ install: state.install, userFolder });

	// A copy of the scheduled example that fires every few seconds, for the server part below.
	const scheduledDir = path.join(state.work, 'scheduled');
	fs.mkdirSync(scheduledDir, { recursive: true });
	const copy = example('scheduled-summaries.json');
	copy.id = SCHEDULED_COPY_ID;
	copy.name = 'e2e: scheduled summaries, every 3 seconds';
	copy.nodes.find((n) => n.type === 'n8n-nodes-base.scheduleTrigger').parameters.rule = {
		interval: [{ field: 'seconds', secondsInterval: 3 }],
	};
	fs.writeFileSync(path.join(scheduledDir, 'scheduled-copy.json'), JSON.stringify(copy, null, 2));

	await importAll(n8n, {
		apiKey: VALID_KEY,
		baseUrl: mock.url,
		workDir: path.join(state.work, 'import'),
		workflowDirs: [EXAMPLES_DIR, E2E_WORKFLOWS, scheduledDir],
	});
}, 5 * 60 * 1000);

afterAll(async () => {
	if (n8n) {
		if (n8n.serverLog.length) fs.writeFileSync(path.join(ARTIFACTS, `n8n-${N8N}-server.log`), n8n.serverLog.join('\n') + '\n');
		await n8n.stop();
	}
	if (mock) await mock.close();
	await stopAll();
}, 60 * 1000);

// ---------------------------------------------------------------------------------------------------------
// helpers

/** `n8n execute` of an imported workflow, with the server's request log cleared first. */
async function execute(id) {
	mock.reset();
	const r = await n8n.execute(id, { env: { N8N_LOG_LEVEL: 'info' }, timeoutMs: 3 * 60 * 1000 });
	if (!r.result) throw new Error(`n8n execute --id=${id} printed no run data (exit ${r.code}):\n${tail(r.stdout)}\n${tail(r.stderr)}`);
	fs.writeFileSync(path.join(ARTIFACTS, `n8n-${N8N}-${id}.json`), JSON.stringify(r.result, null, 2));
	return { code: r.code, resultData: r.result.data.resultData, stdout: r.stdout, stderr: r.stderr };
}

/** A node's output items (`json`, plus a normalised `error` on error items) for one connection type. */
function itemsOf(resultData, nodeName, { run = 0, type = 'main', output = 0 } = {}) {
	const runs = resultData.runData[nodeName];
	if (!runs) throw new Error(`node "${nodeName}" did not run; ran: ${Object.keys(resultData.runData).join(', ')}`);
	const r = runs[run];
	if (!r) throw new Error(`node "${nodeName}" has no run ${run}`);
	if (r.error) throw new Error(`node "${nodeName}" failed: ${r.error.message}`);
	return ((r.data && r.data[type] && r.data[type][output]) || []).map(normaliseItem);
}

function normaliseItem(item) {
	const out = { json: item.json };
	if (item.error) {
		const { name, message, description, httpCode } = item.error;
		out.error = JSON.parse(JSON.stringify({ name, message, description, httpCode }));
	}
	return out;
}

const jsonOf = (items) => items.map((i) => i.json);

/** The requests the Cortecs-compatible server received: what matters of each, in arrival order. */
function requestsSeen() {
	return mock.requests.map((r) => ({
		method: r.method,
		path: r.path,
		...(Object.keys(r.query || {}).length ? { query: r.query } : {}),
		authorization: r.headers.authorization,
		status: r.status,
		...(r.body !== undefined ? { body: r.body } : {}),
	}));
}

/**
 * A copy of `list` in a fixed order (by JSON text), for comparing what concurrent requests carried: the
 * items of one node run are sent concurrently (and spaced by the node's pacing), so the order in which they
 * arrive is not defined; what they carry is.
 */
function inCanonicalOrder(list) {
	const key = (value) => JSON.stringify(value);
	return [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Every node's output (all runs, all outputs, every connection type) except those of trigger nodes. */
function allOutputs(resultData, workflow) {
	const triggers = new Set(workflow.nodes.filter((n) => /trigger/i.test(n.type)).map((n) => n.name));
	const outputs = {};
	for (const [name, runs] of Object.entries(resultData.runData)) {
		if (triggers.has(name)) continue;
		outputs[name] = runs.map((r) => {
			if (r.error) return { error: { name: r.error.name, message: r.error.message, description: r.error.description } };
			const byType = {};
			for (const [type, outs] of Object.entries(r.data || {})) byType[type] = outs.map((items) => (items || []).map(normaliseItem));
			return byType;
		});
	}
	return outputs;
}

/** Compares with test/e2e/expected/<name>.json (E2E_UPDATE=1 writes it instead). */
function expectRecorded(name, actual) {
	const file = path.join(EXPECTED, `${name}.json`);
	if (UPDATE) {
		fs.mkdirSync(EXPECTED, { recursive: true });
		fs.writeFileSync(file, JSON.stringify(recordable(actual), null, 2) + '\n');
		return;
	}
	if (!fs.existsSync(file)) {
		throw new Error(`${path.relative(ROOT, file)} is missing: run E2E_UPDATE=1 npm run test:e2e, review and commit it`);
	}
	expect(recordable(actual)).toEqual(readJson(file));
}

/** What a recording holds: the requests in canonical order (see inCanonicalOrder). */
function recordable(actual) {
	return actual.requests ? { ...actual, requests: inCanonicalOrder(actual.requests) } : actual;
}

const chatRequests = () => requestsSeen().filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions');

// ---------------------------------------------------------------------------------------------------------

describe(`the packed tarball (npm pack)`, () => {
	test('holds the compiled node, credential and icons, and nothing else', () => {
		const files = state.files;
		const pkg = readJson(path.join(ROOT, 'package.json'));
		for (const f of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(files).toContain(f);
		expect(files).toEqual(
			expect.arrayContaining([
				'package.json',
				'dist/nodes/Cortecs/Cortecs.node.js',
				'dist/nodes/Cortecs/cortecs.svg',
				'dist/nodes/Cortecs/cortecs.dark.svg',
				'dist/credentials/CortecsApi.credentials.js',
			]),
		);
		const unexpected = files.filter(
			(f) => !/^(package\.json|README\.md|LICEN[SC]E(\.md)?|CHANGELOG\.md)$/i.test(f) && !f.startsWith('dist/'),
		);
		expect(unexpected).toEqual([]);
		expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
		expect(files.filter((f) => /(^|\/)test\/|\.test\.js$/.test(f))).toEqual([]);
	});
});

describe(`n8n ${N8N}: example workflows run with \`n8n execute\``, () => {
	test('scheduled summaries: texts → Cortecs (summarise) → Aggregate', async () => {
		const wf = example('scheduled-summaries.json');
		const { code, resultData } = await execute(wf.id);
		expect(resultData.error).toBeUndefined();
		expect(code).toBe(0);

		const texts = jsonOf(itemsOf(resultData, 'Texts to summarise')).map((j) => j.text);
		expect(texts).toHaveLength(3);
		const summaries = jsonOf(itemsOf(resultData, 'Summarise'));
		expect(summaries.map((s) => s.content)).toEqual(texts.map((t) => `Echo: ${t}`));
		for (const s of summaries) {
			expect(s).toMatchObject({ role: 'assistant', finish_reason: 'stop', model: 'mistral-small-2503' });
			expect(typeof s.cost_eur).toBe('number');
		}
		expect(jsonOf(itemsOf(resultData, 'Morning digest'))).toEqual([
			{ summaries: texts.map((t) => `Echo: ${t}`), costs_eur: summaries.map((s) => s.cost_eur) },
		]);

		const sent = chatRequests();
		expect(inCanonicalOrder(sent.map((r) => r.body))).toEqual(
			inCanonicalOrder(
				texts.map((t) => ({
					model: 'mistral-small-2503',
					max_tokens: 120,
					temperature: 0.2,
					eu_native: true,
					preference: 'cost',
					messages: [
						{ role: 'system', content: 'Summarise the text in one short sentence for a morning digest.' },
						{ role: 'user', content: t },
					],
				})),
			),
		);
		expect(sent.every((r) => r.authorization === `Bearer ${VALID_KEY}` && r.status === 200)).toBe(true);
		expectRecorded('scheduled-summaries', { outputs: allOutputs(resultData, wf), requests: requestsSeen() });
	});

	test('draft and refine: Cortecs → Cortecs with the conversation as JSON', async () => {
		const wf = example('draft-and-refine.json');
		const { code, resultData } = await execute(wf.id);
		expect(resultData.error).toBeUndefined();
		expect(code).toBe(0);

		const question = 'Why does it matter where an LLM request is processed?';
		const draft = jsonOf(itemsOf(resultData, 'Draft answer'));
		const refined = jsonOf(itemsOf(resultData, 'Refine answer'));
		expect(draft).toHaveLength(1);
		expect(draft[0].content).toBe(`Echo: ${question}`);
		expect(refined[0]).toMatchObject({ content: 'Echo: Refine your answer: plainer words, keep every fact.', model: 'mistral-large-2411' });
		expect(jsonOf(itemsOf(resultData, 'Result'))).toEqual([
			{
				question,
				draft: `Echo: ${question}`,
				refined: 'Echo: Refine your answer: plainer words, keep every fact.',
				total_cost_eur: draft[0].cost_eur + refined[0].cost_eur,
			},
		]);

		// In canonical order like every request list here; that the refine request carries the draft's answer
		// shows the order in which they were sent.
		expect(inCanonicalOrder(chatRequests().map((r) => r.body))).toEqual(inCanonicalOrder([
			{
				model: 'mistral-small-2503',
				messages: [
					{ role: 'system', content: 'Answer in at most three sentences.' },
					{ role: 'user', content: question },
				],
			},
			{
				model: 'mistral-large-2411',
				temperature: 0.3,
				messages: [
					{ role: 'system', content: 'You are a careful editor.' },
					{ role: 'user', content: question },
					{ role: 'assistant', content: `Echo: ${question}` },
					{ role: 'user', content: 'Refine your answer: plainer words, keep every fact.' },
				],
			},
		]));
		expectRecorded('draft-and-refine', { outputs: allOutputs(resultData, wf), requests: requestsSeen() });
	});

	test('structured extraction: JSON-schema answer, parsed, routed by the next node', async () => {
		const wf = example('structured-extraction.json');
		const { code, resultData } = await execute(wf.id);
		expect(resultData.error).toBeUndefined();
		expect(code).toBe(0);

		const emails = jsonOf(itemsOf(resultData, 'Support emails'));
		const extracted = jsonOf(itemsOf(resultData, 'Extract ticket'));
		// The bundled server fills string properties with the last user message and booleans with true.
		expect(extracted.map((e) => e.parsed)).toEqual(emails.map((m) => ({ customer: m.body, summary: m.body, urgent: true })));
		expect(extracted.map((e) => JSON.parse(e.content))).toEqual(extracted.map((e) => e.parsed));
		expect(jsonOf(itemsOf(resultData, 'Urgent ticket'))).toEqual(
			emails.map((m) => ({ queue: 'urgent', customer: m.body, summary: m.body, from: m.from })),
		);
		expect(resultData.runData['Normal ticket']).toBeUndefined();

		const schema = JSON.parse(wf.nodes.find((n) => n.name === 'Extract ticket').parameters.options.jsonSchema);
		expect(inCanonicalOrder(chatRequests().map((r) => r.body))).toEqual(
			inCanonicalOrder(
				emails.map((m) => ({
					model: 'mistral-small-2503',
					response_format: { type: 'json_schema', json_schema: schema },
					temperature: 0,
					eu_native: true,
					messages: [
						{ role: 'system', content: "Extract a support ticket from the customer's email. Answer with JSON only." },
						{ role: 'user', content: m.body },
					],
				})),
			),
		);
		expectRecorded('structured-extraction', { outputs: allOutputs(resultData, wf), requests: requestsSeen() });
	});

	test('AI Agent with Cortecs as its tool (usableAsTool) and Cortecs as its OpenAI-compatible chat model', async () => {
		const wf = example('agent-with-cortecs-tool.json');
		const { code, resultData } = await execute(wf.id);
		const sent = chatRequests();

		// 1st request: the agent's chat model (n8n's OpenAI Chat Model with its base URL on Cortecs) offers
		// the Cortecs node as a function tool, with the parameter defined by $fromAI('input', ...).
		const first = sent[0].body;
		expect(first.model).toBe('mistral-small-2503');
		expect(first.tools).toHaveLength(1);
		expect(first.tools[0].function).toMatchObject({
			name: 'Translate_with_Cortecs',
			description: 'Translates a text into English. Input: the text to translate.',
			parameters: { type: 'object', properties: { input: { type: 'string', description: 'The text to translate' } }, required: ['input'] },
		});
		const prompt = wf.nodes.find((n) => n.name === 'AI Agent').parameters.text;
		expect(first.messages).toEqual([
			{ role: 'system', content: 'You are a support assistant. Use the translation tool for any text that is not in English.' },
			{ role: 'user', content: prompt },
		]);

		// 2nd request: the Cortecs tool node itself, called with the argument the model chose (the bundled
		// server's tool call passes the last user message as {"input": ...}).
		const toolCall = sent[2] && sent[2].body.messages.find((m) => m.role === 'assistant' && m.tool_calls);
		expect(toolCall).toBeDefined();
		const toolInput = JSON.parse(toolCall.tool_calls[0].function.arguments).input;
		expect(toolInput).toBe(prompt);
		expect(sent[1].body).toEqual({
			model: 'mistral-large-2411',
			temperature: 0,
			eu_native: true,
			messages: [
				{ role: 'system', content: 'Translate the text into English. Answer with the translation only.' },
				{ role: 'user', content: toolInput },
			],
		});
		const toolOut = jsonOf(itemsOf(resultData, 'Translate with Cortecs', { type: 'ai_tool' }));
		expect(toolOut).toHaveLength(1);
		expect(toolOut[0]).toMatchObject({ content: `Echo: ${toolInput}`, model: 'mistral-large-2411', role: 'assistant' });

		// 3rd request: the chat model again, now with the tool's answer in the conversation.
		const third = sent[2].body;
		expect(third.messages.slice(0, 2)).toEqual(first.messages);
		expect(third.messages[2]).toMatchObject({ role: 'assistant', tool_calls: [expect.objectContaining({ type: 'function' })] });
		expect(third.messages[3]).toMatchObject({ role: 'tool', tool_call_id: third.messages[2].tool_calls[0].id });
		// the tool result is the Cortecs node's output, serialised by n8n
		expect(third.messages[3].content).toContain(JSON.stringify(`Echo: ${toolInput}`).slice(1, -1));

		expect(resultData.error).toBeUndefined();
		expect(code).toBe(0);
		const answer = jsonOf(itemsOf(resultData, 'AI Agent'));
		expect(answer).toHaveLength(1);
		expect(typeof answer[0].output).toBe('string');
		expect(answer[0].output).toBe(`Echo: ${prompt}`);
		expect(sent).toHaveLength(3);
	});

	test('every example in examples/ is covered above', () => {
		const covered = ['scheduled-summaries.json', 'draft-and-refine.json', 'structured-extraction.json', 'agent-with-cortecs-tool.json'];
		const files = fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json'));
		expect(files.sort()).toEqual(covered.sort());
	});
});

describe(`n8n ${N8N}: errors and the model list with \`n8n execute\``, () => {
	test("a failing request fails the execution with the node's error", async () => {
		const wf = readJson(path.join(E2E_WORKFLOWS, 'failing-request.json'));
		const { code, resultData } = await execute(wf.id);
		expect(code).not.toBe(0);
		expect(resultData.lastNodeExecuted).toBe('Cortecs');
		expect(resultData.error).toMatchObject({
			name: 'NodeApiError',
			message: 'Cortecs API error 500: unexpected_error',
			httpCode: '500',
			node: expect.objectContaining({ name: 'Cortecs', type: NODE_TYPE }),
		});
		expect(resultData.runData.Cortecs[0].error.message).toBe('Cortecs API error 500: unexpected_error');
		const sent = chatRequests();
		expect(sent.length).toBeGreaterThanOrEqual(1);
		expect(sent.every((r) => r.status === 500)).toBe(true);
		expectRecorded('failing-request', {
			error: { name: resultData.error.name, message: resultData.error.message, description: resultData.error.description, httpCode: resultData.error.httpCode },
			requests: requestsSeen(),
		});
	});

	test('with Continue On Fail the failed item becomes an error item and the others go on', async () => {
		const wf = readJson(path.join(E2E_WORKFLOWS, 'continue-on-fail.json'));
		const { code, resultData } = await execute(wf.id);
		expect(resultData.error).toBeUndefined();
		expect(code).toBe(0);
		const items = itemsOf(resultData, 'Cortecs');
		expect(items).toHaveLength(3);
		expect(items[0].json.content).toBe('Echo: First question');
		expect(items[2].json.content).toBe('Echo: Third question');
		expect(items[1].json).toEqual({ error: expect.stringMatching(/^Cortecs API error 400: /) });
		expect(items[1].error).toMatchObject({ name: 'NodeApiError', message: items[1].json.error });
		expect(inCanonicalOrder(chatRequests().map((r) => [r.body.messages[0].content, r.status]))).toEqual([
			['First question', 200],
			['Second question [[fault:400]]', 400],
			['Third question', 200],
		]);
		expectRecorded('continue-on-fail', { outputs: allOutputs(resultData, wf), requests: requestsSeen() });
	});

	test('Model → Get Many lists the catalogue', async () => {
		const wf = readJson(path.join(E2E_WORKFLOWS, 'list-models.json'));
		const { code, resultData } = await execute(wf.id);
		expect(resultData.error).toBeUndefined();
		expect(code).toBe(0);
		const models = jsonOf(itemsOf(resultData, 'Cortecs'));
		expect(models).toHaveLength(3);
		for (const m of models) expect(m.tags).toContain('Tools');
		const get = requestsSeen().filter((r) => r.path === '/v1/models');
		expect(get).toHaveLength(1);
		expect(get[0].query).toMatchObject({ tag: 'Tools' });
		expectRecorded('list-models', { outputs: allOutputs(resultData, wf), requests: requestsSeen() });
	});
});

describe(`n8n ${N8N} server: REST API and editor`, () => {
	beforeAll(async () => {
		await n8n.start({ readyTimeoutMs: 3 * 60 * 1000 });
		await n8n.ensureOwnerAndLogin(OWNER);
	}, 5 * 60 * 1000);

	test('the package loads: node, tool variant and credential types are listed', async () => {
		const nodes = await n8n.restOk('GET', '/types/nodes.json');
		const cortecs = nodes.find((n) => n.name === NODE_TYPE);
		expect(cortecs).toMatchObject({
			displayName: 'Cortecs',
			version: 1,
			credentials: [expect.objectContaining({ name: 'cortecsApi', required: true })],
		});
		const tool = nodes.find((n) => n.name === TOOL_TYPE);
		expect(tool).toBeDefined();
		expect(tool.outputs).toEqual(['ai_tool']);
		const credentials = await n8n.restOk('GET', '/types/credentials.json');
		expect(credentials.find((c) => c.name === 'cortecsApi')).toMatchObject({
			displayName: 'Cortecs API',
			properties: expect.arrayContaining([
				expect.objectContaining({ name: 'apiKey', typeOptions: { password: true } }),
				expect.objectContaining({ name: 'baseUrl', default: 'https://api.cortecs.ai/v1' }),
			]),
		});
	});

	test("the credential test passes for a valid key and fails for an invalid one (n8n's /rest/credentials/test)", async () => {
		mock.reset();
		const saved = await n8n.restOk('GET', `/rest/credentials/${CREDENTIALS.cortecs.id}?includeData=true`);
		const ok = await n8n.restOk('POST', '/rest/credentials/test', {
			credentials: { id: saved.id, name: saved.name, type: saved.type, data: saved.data },
		});
		expect(ok).toEqual({ status: 'OK', message: expect.any(String) });

		const bad = await n8n.restOk('POST', '/rest/credentials', {
			name: 'Cortecs with a wrong key',
			type: 'cortecsApi',
			data: { apiKey: 'not-a-valid-key', baseUrl: mock.url },
		});
		const failed = await n8n.restOk('POST', '/rest/credentials/test', {
			credentials: { id: bad.id, name: bad.name, type: bad.type, data: { apiKey: 'not-a-valid-key', baseUrl: mock.url } },
		});
		expect(failed.status).toBe('Error');
		expect(failed.message).toMatch(/invalid/i);

		const checks = requestsSeen().filter((r) => r.path === '/v1/manage/api-keys');
		expect(checks.map((r) => [r.method, r.authorization, r.status])).toEqual([
			['GET', `Bearer ${VALID_KEY}`, 403],
			...checks.slice(1).map(() => ['GET', 'Bearer not-a-valid-key', 401]),
		]);
		expect(checks.length).toBeGreaterThanOrEqual(2);
		expect(requestsSeen().filter((r) => r.path === '/v1/chat/completions')).toEqual([]);
	});

	test("the model list loads through n8n's dynamic-parameters endpoint", async () => {
		mock.reset();
		const body = (filter) => ({
			nodeTypeAndVersion: { name: NODE_TYPE, version: 1 },
			path: 'parameters.model',
			methodName: 'searchModels',
			filter,
			currentNodeParameters: { resource: 'chat', operation: 'complete', model: { __rl: true, mode: 'list', value: '' } },
			credentials: { cortecsApi: { id: CREDENTIALS.cortecs.id, name: CREDENTIALS.cortecs.name } },
		});
		const all = await n8n.restOk('POST', '/rest/dynamic-node-parameters/resource-locator-results', body(''));
		const ids = all.results.map((r) => r.value);
		expect(ids).toEqual(expect.arrayContaining(['mistral-small-2503', 'mistral-large-2411', 'llama-3.3-70b-instruct']));
		for (const r of all.results) expect(r).toEqual({ name: expect.any(String), value: expect.any(String), description: expect.any(String) });
		expect(all.results.find((r) => r.value === 'mistral-small-2503').description).toMatch(/€0\.1 in \/ €0\.3 out per 1M tokens/);

		const mistral = await n8n.restOk('POST', '/rest/dynamic-node-parameters/resource-locator-results', body('mistral'));
		expect(mistral.results.length).toBeGreaterThan(0);
		expect(mistral.results.length).toBeLessThan(all.results.length);
		const mistralIds = mistral.results.map((r) => r.value);
		// every model whose id has the search text is found; others may match on other fields (e.g. the vendor)
		expect(mistralIds).toEqual(expect.arrayContaining(ids.filter((id) => id.includes('mistral'))));
		expect(mistralIds).not.toContain('llama-3.3-70b-instruct');
		expect(requestsSeen().filter((r) => r.path === '/v1/models').length).toBeGreaterThanOrEqual(1);
		expectRecorded('model-list', { all: all.results, filtered: mistral.results });
	});

	test('a Schedule Trigger fires the scheduled example in the running n8n', async () => {
		mock.reset();
		const wf = await n8n.restOk('GET', `/rest/workflows/${SCHEDULED_COPY_ID}`);
		await n8n.restOk('POST', `/rest/workflows/${SCHEDULED_COPY_ID}/activate`, { versionId: wf.versionId });
		let execution;
		try {
			const deadline = Date.now() + 90 * 1000;
			while (!execution && Date.now() < deadline) {
				await sleep(1000);
				const filter = encodeURIComponent(JSON.stringify({ workflowId: SCHEDULED_COPY_ID }));
				const list = await n8n.restOk('GET', `/rest/executions?filter=${filter}&limit=5`);
				execution = (list.results || []).find((e) => e.status === 'success' || e.status === 'error');
			}
		} finally {
			await n8n.restOk('POST', `/rest/workflows/${SCHEDULED_COPY_ID}/deactivate`, {});
		}
		expect(execution).toBeDefined();
		expect(execution).toMatchObject({ status: 'success', mode: 'trigger' });
		const full = await n8n.restOk('GET', `/rest/executions/${execution.id}`);
		const flatted = require(require.resolve('flatted', { paths: [path.dirname(state.install.n8nBin)] }));
		const data = flatted.parse(full.data);
		const digest = jsonOf(itemsOf(data.resultData, 'Morning digest'));
		const texts = jsonOf(itemsOf(data.resultData, 'Texts to summarise')).map((j) => j.text);
		expect(digest).toHaveLength(1);
		expect(digest[0].summaries).toEqual(texts.map((t) => `Echo: ${t}`));
	});

	test('the editor renders the Cortecs node and its model list (headless Chromium)', async () => {
		const { chromium } = require('playwright-core');
		const browser = await chromium.launch({
			executablePath: state.chromium,
			args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
			timeout: 60 * 1000,
		});
		const shot = (name) => path.join(ARTIFACTS, `n8n-${N8N}-${name}.png`);
		const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		page.setDefaultTimeout(60 * 1000);
		const offHost = [];
		// loopback only: anything else the editor tries to fetch is refused
		await page.route('**/*', (route) => {
			const u = new URL(route.request().url());
			if (['127.0.0.1', 'localhost'].includes(u.hostname) || u.protocol === 'data:' || u.protocol === 'blob:') return route.continue();
			offHost.push(u.origin);
			return route.abort();
		});
		try {
			await page.goto(`${n8n.url}/signin`);
			await page.fill('input[name="emailOrLdapLoginId"]', OWNER.email);
			await page.fill('input[name="password"]', OWNER.password);
			await page.click('[data-test-id="form-submit-button"]');
			await page.waitForURL((u) => !u.pathname.startsWith('/signin'));

			await page.goto(`${n8n.url}/workflow/cortecsExample03`);
			const node = page.locator('[data-test-id="canvas-node"][data-node-name="Extract ticket"]');
			await node.waitFor();
			await page.screenshot({ path: shot('editor-canvas') });
			await node.dblclick();
			const ndv = page.locator('[data-test-id="ndv"]');
			await ndv.waitFor();

			// parameter labels, matched by their whole text
			const label = (text) => ndv.locator('label.n8n-input-label').getByText(text, { exact: true }).first();
			for (const text of ['Resource', 'Operation', 'Model', 'Messages Input', 'Messages', 'Options', 'Routing']) {
				const l = label(text);
				await l.scrollIntoViewIfNeeded();
				await expect(l.isVisible()).resolves.toBe(true);
			}
			// options set in the example render as their own fields
			for (const text of ['Temperature', 'Response Format', 'JSON Schema', 'EU Native']) {
				await label(text).scrollIntoViewIfNeeded();
				await expect(label(text).isVisible()).resolves.toBe(true);
			}
			await expect(ndv.locator('[data-test-id="node-credentials-select"] input').first().inputValue()).resolves.toBe(CREDENTIALS.cortecs.name);
			await expect(ndv.locator('[data-test-id="resource-locator-model"] [data-test-id="rlc-input"]').inputValue()).resolves.toBe('mistral-small-2503');
			await label('Model').scrollIntoViewIfNeeded();
			await page.screenshot({ path: shot('editor-cortecs-node') });
			await label('Routing').scrollIntoViewIfNeeded();
			await page.screenshot({ path: shot('editor-cortecs-options') });
			await label('Model').scrollIntoViewIfNeeded();

			// switch the model to "From list" and open the list: loaded by the editor through n8n from the server
			const rl = ndv.locator('[data-test-id="resource-locator-model"]');
			await rl.locator('[data-test-id="rlc-mode-selector"]').click();
			await page.locator('[data-test-id="mode-list"]').click();
			await rl.locator('[data-test-id="rlc-input"]').click();
			const items = page.locator('[data-test-id="rlc-item"]');
			await items.first().waitFor();
			const names = (await items.allInnerTexts()).map((t) => t.trim());
			// the dropdown shows only names, so each carries its price and context size
			expect(names).toEqual(
				expect.arrayContaining(['mistral-small-2503 · €0.1 in / €0.3 out per 1M tokens · 131k context · json_mode, tools']),
			);
			expect(names.some((n) => n.startsWith('mistral-large-2411 · '))).toBe(true);
			await page.screenshot({ path: shot('editor-model-list') });

			// a user adds the node by searching the nodes panel, in a workflow that has no AI nodes yet
			// (n8n hides AI-category nodes there unless their codex marks them as root nodes)
			await page.goto(`${n8n.url}/workflow/cortecsExample02`);
			await page.locator('[data-test-id="canvas-node"]').first().waitFor();
			const creator = page.locator('[data-test-id="node-creator"]');
			await page.keyboard.press('Tab');
			// newer editors no longer open the panel on Tab from a fresh canvas: use its "+" button instead
			if (!(await creator.waitFor({ timeout: 5000 }).then(() => true, () => false))) {
				await page.locator('[data-test-id="node-creator-plus-button"]').first().click();
				await creator.waitFor();
			}
			await page.keyboard.type('Cortecs');
			await creator.getByText('Cortecs', { exact: true }).first().waitFor({ timeout: 15000 });
			await page.screenshot({ path: shot('editor-node-search') });
		} catch (err) {
			await page.screenshot({ path: shot('editor-failure') }).catch(() => {});
			throw err;
		} finally {
			await browser.close();
		}
		// the only outside host the 2.x editor reaches for by default is n8n's own (refused above)
		expect([...new Set(offHost)].filter((o) => !/\.n8n\.(io|cloud)$/.test(new URL(o).hostname))).toEqual([]);
	});
});

const allPids = () => fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p));

function pgidOf(pid) {
	try {
		// /proc/<pid>/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so split after the last ')'
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
	} catch {
		return null;
	}
}

/** Processes whose environment names this n8n user folder (the n8n processes started for it). */
function processesOf(home) {
	const found = [];
	for (const pid of allPids()) {
		try {
			const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
			if (env.includes(`N8N_USER_FOLDER=${home}`)) found.push(pid);
		} catch {
			/* gone */
		}
	}
	return found;
}

describe(`npm start (scripts/start.js) with n8n ${N8N}`, () => {
	test('one command: n8n with the package, the credentials and the examples; Ctrl-C stops everything', async () => {
		const { spawn } = require('child_process');
		const { getFreePort, request } = require('../../scripts/lib/n8n-runner');
		const home = path.join(state.work, 'start-home');
		const port = await getFreePort();
		const env = { ...process.env, N8N_START_HOME: home };
		delete env.CORTECS_API_KEY;
		const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.js'), '--no-build', '--port', String(port), ...(state.profileName === 'latest' ? ['--latest'] : [])], {
			cwd: ROOT,
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (out += d));
		const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
		try {
			const deadline = Date.now() + 3 * 60 * 1000;
			while (!out.includes('Press Ctrl-C to stop.') && Date.now() < deadline && child.exitCode === null) await sleep(250);
			expect(out).toContain('Press Ctrl-C to stop.');
			fs.writeFileSync(path.join(ARTIFACTS, `n8n-${N8N}-npm-start.log`), out);
			const url = `http://127.0.0.1:${port}`;
			expect(out).toContain(`    ${url}\n`);
			expect(out).toContain('Sign in:      demo@example.com / Cortecs-demo-1');
			const mockUrl = /test server at (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(out)[1];

			// the printed sign-in works, the examples and the credentials are there
			const n = new N8n({ install: state.install, userFolder: home });
			n.port = port;
			await n.login({ email: 'demo@example.com', password: 'Cortecs-demo-1' });
			const workflows = await n.restOk('GET', '/rest/workflows');
			const names = (workflows.data || workflows).map((w) => w.name).sort();
			const exampleNames = fs
				.readdirSync(EXAMPLES_DIR)
				.filter((f) => f.endsWith('.json'))
				.map((f) => example(f).name)
				.sort();
			expect(names).toEqual(exampleNames);
			const creds = await n.restOk('GET', '/rest/credentials');
			expect((creds.data || creds).map((c) => [c.id, c.type]).sort()).toEqual([
				[CREDENTIALS.openAi.id, 'openAiApi'],
				[CREDENTIALS.cortecs.id, 'cortecsApi'],
			].sort());
			// the credential points at the bundled server, which answers
			const saved = await n.restOk('GET', `/rest/credentials/${CREDENTIALS.cortecs.id}?includeData=true`);
			expect(saved.data.baseUrl).toBe(mockUrl);
			const test = await n.restOk('POST', '/rest/credentials/test', { credentials: { id: saved.id, name: saved.name, type: saved.type, data: saved.data } });
			expect(test.status).toBe('OK');

			// n8n runs in its own process group, with its task runner(s)
			const groups = new Set(processesOf(home).map(pgidOf));
			expect(groups.size).toBeGreaterThan(0);

			// Ctrl-C
			child.kill('SIGINT');
			let timer;
			const { code } = await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(() => resolve({ code: 'timeout' }), 60 * 1000)))]);
			clearTimeout(timer);
			expect(code).toBe(130);
			await expect(request('GET', `${url}/healthz`, { timeoutMs: 2000 })).rejects.toThrow();
			await expect(request('GET', `${mockUrl}/models`, { timeoutMs: 2000 })).rejects.toThrow();
			// no process started for this n8n folder is left (n8n and its task runners)
			expect(processesOf(home)).toEqual([]);
			expect(allPids().filter((pid) => groups.has(pgidOf(pid)))).toEqual([]);
		} finally {
			if (child.exitCode === null) child.kill('SIGKILL');
			for (const pid of processesOf(home)) {
				try {
					process.kill(-Number(pid), 'SIGKILL');
				} catch {
					/* not a group leader or gone */
				}
				try {
					process.kill(Number(pid), 'SIGKILL');
				} catch {
					/* gone */
				}
			}
		}
	}, 5 * 60 * 1000);
});
