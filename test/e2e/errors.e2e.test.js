'use strict';
/*
 * The e2e-only workflows in test/e2e/workflows/ with `n8n execute`: an API error failing the execution,
 * Continue On Fail, and Model → Get Many.
 */
const {
	N8N,
	NODE_TYPE,
	e2eWorkflow,
	useN8n,
	execute,
	executeOk,
	itemsOf,
	jsonOf,
	requestsSeen,
	chatRequests,
	inCanonicalOrder,
	expectRecorded,
	expectRecordedRun,
} = require('./helpers');

useN8n('errors');

describe(`n8n ${N8N}: errors and the model list with \`n8n execute\``, () => {
	test("a failing request fails the execution with the node's error", async () => {
		const wf = e2eWorkflow('failing-request.json');
		const { code, resultData } = await execute(wf.id);
		expect(code).not.toBe(0);
		expect(resultData.lastNodeExecuted).toBe('Cortecs');
		expect(resultData.error).toMatchObject({
			name: 'NodeApiError',
			message: 'Cortecs API error 500: unexpected_error',
			httpCode: '500',
			node: expect.objectContaining({ name: 'Cortecs', type: NODE_TYPE }),
		});
		expect(resultData.runData.Cortecs[0].error.message).toBe(
			'Cortecs API error 500: unexpected_error',
		);
		const sent = chatRequests();
		expect(sent.length).toBeGreaterThanOrEqual(1);
		expect(sent.every((r) => r.status === 500)).toBe(true);
		expectRecorded('failing-request', {
			error: {
				name: resultData.error.name,
				message: resultData.error.message,
				description: resultData.error.description,
				httpCode: resultData.error.httpCode,
			},
			requests: requestsSeen(),
		});
	});

	test('with Continue On Fail the failed item becomes an error item and the others go on', async () => {
		const wf = e2eWorkflow('continue-on-fail.json');
		const { resultData } = await executeOk(wf.id);
		const items = itemsOf(resultData, 'Cortecs');
		expect(items).toHaveLength(3);
		expect(items[0].json.content).toBe('Echo: First question');
		expect(items[2].json.content).toBe('Echo: Third question');
		expect(items[1].json).toEqual({ error: expect.stringMatching(/^Cortecs API error 400: /) });
		expect(items[1].error).toMatchObject({ name: 'NodeApiError', message: items[1].json.error });
		expect(
			inCanonicalOrder(chatRequests().map((r) => [r.body.messages[0].content, r.status])),
		).toEqual([
			['First question', 200],
			['Second question [[fault:400]]', 400],
			['Third question', 200],
		]);
		expectRecordedRun('continue-on-fail', resultData, wf);
	});

	test('Model → Get Many lists the catalogue', async () => {
		const wf = e2eWorkflow('list-models.json');
		const { resultData } = await executeOk(wf.id);
		const models = jsonOf(itemsOf(resultData, 'Cortecs'));
		expect(models).toHaveLength(3);
		for (const m of models) expect(m.tags).toContain('Tools');
		const get = requestsSeen().filter((r) => r.path === '/v1/models');
		expect(get).toHaveLength(1);
		expect(get[0].query).toMatchObject({ tag: 'Tools' });
		expectRecordedRun('list-models', resultData, wf);
	});
});
