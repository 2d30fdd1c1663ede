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
	execute,
	itemsOf,
	jsonOf,
	requestsSeen,
	chatRequests,
	inCanonicalOrder,
	allOutputs,
	expectRecorded,
} = require('./helpers');
const { VALID_KEY } = require('../cortecs-server');

useN8n('examples');

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
		const covered = [
			'scheduled-summaries.json',
			'draft-and-refine.json',
			'structured-extraction.json',
			'agent-with-cortecs-tool.json',
			'embed-chunks-to-file.json', // in embeddings.e2e.test.js
		];
		const files = fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json'));
		expect(files.sort()).toEqual(covered.sort());
	});
});
