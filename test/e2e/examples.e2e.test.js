'use strict';
/*
 * Every workflow in examples/ runs in a real n8n with `n8n execute`, against the test server: node
 * outputs and the request bodies the server received are checked by explicit assertions and compared with
 * test/e2e/expected/*.json.
 */
const fs = require('fs');
const {
	N8N,
	EXAMPLES_DIR,
	example,
	useN8n,
	executeOk,
	itemsOf,
	jsonOf,
	chatRequests,
	expectChatBodies,
	expectRecordedRun,
} = require('./helpers');
const { VALID_KEY } = require('../../tools/cortecs-server');

useN8n('examples');

describe(`n8n ${N8N}: example workflows run with \`n8n execute\``, () => {
	test('scheduled summaries: texts → Cortecs (summarise) → Aggregate', async () => {
		const wf = example('scheduled-summaries.json');
		const { resultData } = await executeOk(wf.id);

		const texts = jsonOf(itemsOf(resultData, 'Texts to summarise')).map((j) => j.text);
		expect(texts).toHaveLength(3);
		const summaries = jsonOf(itemsOf(resultData, 'Summarise'));
		expect(summaries.map((s) => s.content)).toEqual(texts.map((t) => `Echo: ${t}`));
		for (const s of summaries) {
			expect(s).toMatchObject({
				role: 'assistant',
				finish_reason: 'stop',
				model: 'mistral-small-2503',
			});
			expect(typeof s.cost_eur).toBe('number');
		}
		expect(jsonOf(itemsOf(resultData, 'Morning digest'))).toEqual([
			{ summaries: texts.map((t) => `Echo: ${t}`), costs_eur: summaries.map((s) => s.cost_eur) },
		]);

		const sent = chatRequests();
		expectChatBodies(
			texts.map((t) => ({
				model: 'mistral-small-2503',
				max_tokens: 120,
				temperature: 0.2,
				eu_native: true,
				preference: 'cost',
				messages: [
					{
						role: 'system',
						content: 'Summarise the text in one short sentence for a morning digest.',
					},
					{ role: 'user', content: t },
				],
			})),
		);
		expect(sent.every((r) => r.authorization === `Bearer ${VALID_KEY}` && r.status === 200)).toBe(
			true,
		);
		expectRecordedRun('scheduled-summaries', resultData, wf);
	});

	test('draft and refine: Cortecs → Cortecs with the conversation as JSON', async () => {
		const wf = example('draft-and-refine.json');
		const { resultData } = await executeOk(wf.id);

		const [{ question, notes }] = jsonOf(itemsOf(resultData, 'Question'));
		const asked = `Notes: "${notes}"\n\n${question}`;
		const draft = jsonOf(itemsOf(resultData, 'Draft answer'));
		const refined = jsonOf(itemsOf(resultData, 'Refine answer'));
		expect(draft).toHaveLength(1);
		expect(draft[0].content).toBe(`Echo: ${asked}`);
		expect(refined[0]).toMatchObject({
			content: 'Echo: Refine your answer: plainer words, keep every fact.',
			model: 'mistral-large-2411',
		});
		expect(jsonOf(itemsOf(resultData, 'Result'))).toEqual([
			{
				question,
				draft: `Echo: ${asked}`,
				refined: 'Echo: Refine your answer: plainer words, keep every fact.',
				total_cost_eur: draft[0].cost_eur + refined[0].cost_eur,
			},
		]);

		// In canonical order like every request list here; that the refine request carries the draft's answer
		// shows the order in which they were sent (what the refinement makes of it: demo.e2e.test.js).
		expectChatBodies([
			{
				model: 'mistral-small-2503',
				messages: [
					{
						role: 'system',
						content: 'Answer the question from the notes, in at most three sentences.',
					},
					{ role: 'user', content: asked },
				],
			},
			{
				model: 'mistral-large-2411',
				temperature: 0.3,
				messages: [
					{ role: 'system', content: 'You are a careful editor.' },
					{ role: 'user', content: question },
					{ role: 'assistant', content: `Echo: ${asked}` },
					{ role: 'user', content: 'Refine your answer: plainer words, keep every fact.' },
				],
			},
		]);
		expectRecordedRun('draft-and-refine', resultData, wf);
	});

	test('structured extraction: JSON-schema answer, parsed, routed by the next node', async () => {
		const wf = example('structured-extraction.json');
		const { resultData } = await executeOk(wf.id);

		const emails = jsonOf(itemsOf(resultData, 'Support emails'));
		const extracted = jsonOf(itemsOf(resultData, 'Extract ticket'));
		// The bundled server fills string properties with the last user message and booleans with true.
		expect(extracted.map((e) => e.parsed)).toEqual(
			emails.map((m) => ({ customer: m.body, summary: m.body, urgent: true })),
		);
		expect(extracted.map((e) => JSON.parse(e.content))).toEqual(extracted.map((e) => e.parsed));
		expect(jsonOf(itemsOf(resultData, 'Urgent ticket'))).toEqual(
			emails.map((m) => ({ queue: 'urgent', customer: m.body, summary: m.body, from: m.from })),
		);
		expect(resultData.runData['Normal ticket']).toBeUndefined();

		const schema = JSON.parse(
			wf.nodes.find((n) => n.name === 'Extract ticket').parameters.options.jsonSchema,
		);
		expectChatBodies(
			emails.map((m) => ({
				model: 'mistral-small-2503',
				response_format: { type: 'json_schema', json_schema: schema },
				temperature: 0,
				eu_native: true,
				messages: [
					{
						role: 'system',
						content: "Extract a support ticket from the customer's email. Answer with JSON only.",
					},
					{ role: 'user', content: m.body },
				],
			})),
		);
		expectRecordedRun('structured-extraction', resultData, wf);
	});

	test('every example in examples/ is covered above or in chat-model, embeddings, vector-store and files.e2e.test.js', () => {
		const covered = [
			'scheduled-summaries.json',
			'draft-and-refine.json',
			'structured-extraction.json',
			'embed-chunks-to-file.json', // in embeddings.e2e.test.js
			'vector-store-search.json', // in vector-store.e2e.test.js
			'receipt-and-invoice.json', // in files.e2e.test.js
		];
		// the examples on the Cortecs Chat Model (n8n 2.16.0 and newer)
		const onTheChatModel = ['agent-with-cortecs-tool.json', 'map-reduce-summary.json'];
		covered.push(...onTheChatModel);
		const files = fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json'));
		expect(files.sort()).toEqual(covered.sort());
		// n8n imports workflows by id: two examples with one id would leave one of them out
		const ids = files.map((f) => example(f).id);
		expect(new Set(ids).size).toBe(ids.length);
	});
});
