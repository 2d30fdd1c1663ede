'use strict';
/*
 * A running n8n server (REST API): the package's types are listed, the credential test, the model list
 * through the dynamic-parameters endpoint, and a Schedule Trigger really firing.
 */
const path = require('path');
const { sleep } = require('../../tools/n8n/runner');
const { CREDENTIALS } = require('../../tools/n8n/setup');
const { VALID_KEY, MANAGEMENT_KEY } = require('../../tools/cortecs-server');
const {
	state,
	N8N,
	NODE_TYPE,
	TOOL_TYPE,
	SCHEDULED_COPY_ID,
	useN8n,
	itemsOf,
	jsonOf,
	requestsSeen,
	expectRecorded,
} = require('./helpers');

const e2e = useN8n('rest', { server: true });

/** What n8n shows for a test that passes, and for a key the API rejects. */
const PASSED = { status: 'OK', message: 'Connection successful!' };
const INVALID_KEY = {
	status: 'Error',
	message: 'The API key is invalid (or its project has no prepaid balance)',
};

describe(`n8n ${N8N} server: REST API`, () => {
	test('the package loads: node, tool variant and credential types are listed', async () => {
		const nodes = await e2e.n8n.restOk('GET', '/types/nodes.json');
		const cortecs = nodes.find((n) => n.name === NODE_TYPE);
		expect(cortecs).toMatchObject({
			displayName: 'Cortecs',
			version: 1,
			credentials: [expect.objectContaining({ name: 'cortecsApi', required: true })],
		});
		const tool = nodes.find((n) => n.name === TOOL_TYPE);
		expect(tool).toBeDefined();
		expect(tool.outputs).toEqual(['ai_tool']);
		const credentials = await e2e.n8n.restOk('GET', '/types/credentials.json');
		expect(credentials.find((c) => c.name === 'cortecsApi')).toMatchObject({
			displayName: 'Cortecs API',
			properties: expect.arrayContaining([
				expect.objectContaining({ name: 'apiKey', typeOptions: { password: true } }),
				expect.objectContaining({ name: 'baseUrl', default: 'https://api.cortecs.ai/v1' }),
			]),
		});
	});

	// The credential's declarative `test`, judged by n8n itself: every outcome the README's Credentials section
	// promises, each with one GET /manage/api-keys and no tokens spent.
	describe("the credential test (n8n's /rest/credentials/test)", () => {
		/** Saves a credential with this data, as the editor does, then presses its Test button. */
		async function testWith(data) {
			const saved = await e2e.n8n.restOk('POST', '/rest/credentials', {
				name: 'Cortecs under test',
				type: 'cortecsApi',
				data,
			});
			return await e2e.n8n.restOk('POST', '/rest/credentials/test', {
				credentials: { id: saved.id, name: saved.name, type: saved.type, data },
			});
		}

		test.each([
			['a valid ordinary key (403) passes', VALID_KEY, 403, PASSED],
			['a management key (200) passes', MANAGEMENT_KEY, 200, PASSED],
			['an invalid key (401) fails with a clear message', 'not-a-valid-key', 401, INVALID_KEY],
		])('%s', async (_name, apiKey, answered, expected) => {
			e2e.mock.reset();
			expect(await testWith({ apiKey, baseUrl: e2e.mock.url })).toEqual(expected);
			expect(requestsSeen().map((r) => [r.method, r.path, r.authorization, r.status])).toEqual([
				['GET', '/v1/manage/api-keys', `Bearer ${apiKey}`, answered],
			]);
		});

		test('a Base URL without /v1 (404) fails and says how to fix it', async () => {
			e2e.mock.reset();
			expect(
				await testWith({ apiKey: VALID_KEY, baseUrl: e2e.mock.url.replace(/\/v1$/, '') }),
			).toEqual({
				status: 'Error',
				message:
					'The Base URL does not point at the Cortecs API: it must end in /v1 (https://api.cortecs.ai/v1)',
			});
			expect(requestsSeen().map((r) => [r.method, r.path, r.status])).toEqual([
				['GET', '/manage/api-keys', 404],
			]);
		});

		test('the saved credential of the examples passes', async () => {
			e2e.mock.reset();
			const saved = await e2e.n8n.restOk(
				'GET',
				`/rest/credentials/${CREDENTIALS.cortecs.id}?includeData=true`,
			);
			expect(
				await e2e.n8n.restOk('POST', '/rest/credentials/test', {
					credentials: { id: saved.id, name: saved.name, type: saved.type, data: saved.data },
				}),
			).toEqual(PASSED);
		});
	});

	test("the model list loads through n8n's dynamic-parameters endpoint", async () => {
		e2e.mock.reset();
		const body = (filter) => ({
			nodeTypeAndVersion: { name: NODE_TYPE, version: 1 },
			path: 'parameters.model',
			methodName: 'searchModels',
			filter,
			currentNodeParameters: {
				resource: 'chat',
				operation: 'complete',
				model: { __rl: true, mode: 'list', value: '' },
			},
			credentials: { cortecsApi: { id: CREDENTIALS.cortecs.id, name: CREDENTIALS.cortecs.name } },
		});
		const all = await e2e.n8n.restOk(
			'POST',
			'/rest/dynamic-node-parameters/resource-locator-results',
			body(''),
		);
		const ids = all.results.map((r) => r.value);
		expect(ids).toEqual(
			expect.arrayContaining([
				'mistral-small-2503',
				'mistral-large-2411',
				'llama-3.3-70b-instruct',
			]),
		);
		for (const r of all.results)
			expect(r).toEqual({
				name: expect.any(String),
				value: expect.any(String),
				description: expect.any(String),
			});
		expect(all.results.find((r) => r.value === 'mistral-small-2503').description).toMatch(
			/€0\.1 in \/ €0\.3 out per 1M tokens/,
		);

		const mistral = await e2e.n8n.restOk(
			'POST',
			'/rest/dynamic-node-parameters/resource-locator-results',
			body('mistral'),
		);
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
		e2e.mock.reset();
		const wf = await e2e.n8n.restOk('GET', `/rest/workflows/${SCHEDULED_COPY_ID}`);
		await e2e.n8n.restOk('POST', `/rest/workflows/${SCHEDULED_COPY_ID}/activate`, {
			versionId: wf.versionId,
		});
		let execution;
		try {
			const deadline = Date.now() + 90 * 1000;
			while (!execution && Date.now() < deadline) {
				await sleep(1000);
				const filter = encodeURIComponent(JSON.stringify({ workflowId: SCHEDULED_COPY_ID }));
				const list = await e2e.n8n.restOk('GET', `/rest/executions?filter=${filter}&limit=5`);
				execution = (list.results || []).find(
					(e) => e.status === 'success' || e.status === 'error',
				);
			}
		} finally {
			await e2e.n8n.restOk('POST', `/rest/workflows/${SCHEDULED_COPY_ID}/deactivate`, {});
		}
		expect(execution).toBeDefined();
		expect(execution).toMatchObject({ status: 'success', mode: 'trigger' });
		const full = await e2e.n8n.restOk('GET', `/rest/executions/${execution.id}`);
		const flatted = require(
			require.resolve('flatted', { paths: [path.dirname(state.install.n8nBin)] }),
		);
		const data = flatted.parse(full.data);
		const digest = jsonOf(itemsOf(data.resultData, 'Morning digest'));
		const texts = jsonOf(itemsOf(data.resultData, 'Texts to summarise')).map((j) => j.text);
		expect(digest).toHaveLength(1);
		expect(digest[0].summaries).toEqual(texts.map((t) => `Echo: ${t}`));
	});
});
