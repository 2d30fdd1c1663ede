'use strict';
/*
 * The Cortecs Chat Model sub-node (n8n-nodes-cortecs.lmChatCortecs) in a real n8n, from the packed tarball,
 * against the test server.
 * - n8n with @n8n/ai-node-sdk (2.16.0 and newer; `npm run test:e2e:latest`): an AI Agent with the Cortecs
 *   node as its tool, a Basic LLM Chain, a map-reduce Summarization Chain and an Information Extractor, all
 *   on the sub-node (outputs and the request bodies the server saw, router fields included); the model list
 *   through n8n's REST API; the editor showing the sub-node connected to the agent (headless Chromium).
 * - Older n8n (2.8.4, `npm run test:e2e`): the package loads, and a run that uses the sub-node fails with
 *   the error naming the n8n version it needs, before any request.
 */
const {
	N8N,
	example,
	e2eWorkflow,
	HAS_SDK,
	CHAT_MODEL_MIN_N8N: MIN_VERSION,
	useN8n,
	serveN8n,
	expectSubNodeListed,
	modelListOverRest,
	execute,
	executeOk,
	itemsOf,
	jsonOf,
	chatRequests,
	requestsSeen,
	expectChatBodies,
	inEditor,
	openNode,
	expectLabelsVisible,
} = require('./helpers');
const { VALID_KEY } = require('../../tools/cortecs-server');

const SUB_NODE_TYPE = 'n8n-nodes-cortecs.lmChatCortecs';
const withSdk = HAS_SDK ? describe : describe.skip;
const withoutSdk = HAS_SDK ? describe.skip : describe;

const running = useN8n('chat-model');

/** Token usage n8n's tracing recorded for each run of the sub-node (its output panel). */
function tokenUsages(resultData, name = 'Cortecs Chat Model') {
	return (resultData.runData[name] || []).map(
		(run) => run.data.ai_languageModel[0][0].json.tokenUsage,
	);
}

const ROUTER_FIELDS = [
	'preference',
	'allowed_providers',
	'eu_native',
	'allow_quantization',
	'allow_zero_data_retention',
	'enable_model_fallback',
];
const routerFieldsOf = (body) =>
	Object.fromEntries(ROUTER_FIELDS.filter((f) => f in body).map((f) => [f, body[f]]));

withSdk(`n8n ${N8N}: workflows on the Cortecs Chat Model, with \`n8n execute\``, () => {
	test('AI Agent: calls the Cortecs node as its tool, then answers with the tool’s result', async () => {
		const wf = example('agent-with-cortecs-tool.json');
		const { resultData } = await executeOk(wf.id);
		const sent = chatRequests();
		expect(sent.map((r) => [r.authorization, r.status])).toEqual(
			sent.map(() => [`Bearer ${VALID_KEY}`, 200]),
		);
		expect(sent).toHaveLength(3);

		// 1st: the agent's model, with the router fields and the Cortecs node offered as a function tool
		const prompt = wf.nodes.find((n) => n.name === 'AI Agent').parameters.text;
		const system = wf.nodes.find((n) => n.name === 'AI Agent').parameters.options.systemMessage;
		const first = sent[0].body;
		expect(first).toEqual({
			model: 'mistral-small-2503',
			temperature: 0,
			stream: false,
			preference: 'speed',
			eu_native: true,
			tools: [expect.objectContaining({ type: 'function' })],
			messages: [
				{ role: 'system', content: system },
				{ role: 'user', content: prompt },
			],
		});
		expect(first.tools[0].function).toMatchObject({
			name: 'Translate_with_Cortecs',
			description: 'Translates a text into English. Input: the text to translate.',
			parameters: {
				type: 'object',
				properties: { input: { type: 'string', description: 'The text to translate' } },
				required: ['input'],
			},
		});

		// 2nd: the Cortecs tool node, with the argument of the model's tool call
		expect(sent[1].body).toEqual({
			model: 'mistral-large-2411',
			temperature: 0,
			eu_native: true,
			messages: [
				{
					role: 'system',
					content: 'Translate the text into English. Answer with the translation only.',
				},
				{ role: 'user', content: prompt },
			],
		});
		const toolOut = jsonOf(itemsOf(resultData, 'Translate with Cortecs', { type: 'ai_tool' }));
		expect(toolOut[0]).toMatchObject({ content: `Echo: ${prompt}`, model: 'mistral-large-2411' });

		// 3rd: the agent's model again, with its tool call and the tool's result, router fields still on
		const third = sent[2].body;
		expect(routerFieldsOf(third)).toEqual({ eu_native: true, preference: 'speed' });
		expect(third.messages.slice(0, 2)).toEqual(first.messages);
		const [call] = third.messages[2].tool_calls;
		expect(third.messages[2]).toMatchObject({
			role: 'assistant',
			tool_calls: [{ type: 'function', function: { name: 'Translate_with_Cortecs' } }],
		});
		expect(JSON.parse(call.function.arguments)).toMatchObject({ input: prompt });
		expect(third.messages[3]).toMatchObject({ role: 'tool', tool_call_id: call.id });
		expect(third.messages[3].content).toContain(JSON.stringify(`Echo: ${prompt}`).slice(1, -1));

		// the final answer uses the tool's result (the test server answers so after a tool message)
		const [answer] = jsonOf(itemsOf(resultData, 'AI Agent'));
		expect(answer.output).toBe(`Echo: ${prompt}\nTool results: ${third.messages[3].content}`);
		const usages = tokenUsages(resultData);
		expect(usages).toHaveLength(2);
		for (const u of usages) {
			expect(u).toEqual({
				promptTokens: expect.any(Number),
				completionTokens: expect.any(Number),
				totalTokens: u.promptTokens + u.completionTokens,
			});
			expect(u.promptTokens > 0 && u.completionTokens > 0).toBe(true);
		}
	});

	test('Basic LLM Chain: one request per item, every option and router field the user set', async () => {
		const wf = e2eWorkflow('chat-model-llm-chain.json');
		const { resultData } = await executeOk(wf.id);
		const questions = ['Where is my parcel?', 'Can I change the delivery address?'];
		expect(jsonOf(itemsOf(resultData, 'Answer'))).toEqual(
			questions.map((q) => ({ text: `Echo: ${q}` })),
		);
		expectChatBodies(
			questions.map((q) => ({
				model: 'mistral-small-2503',
				messages: [
					{ role: 'system', content: 'Answer the customer in one friendly sentence.' },
					{ role: 'user', content: q },
				],
				stream: false,
				temperature: 0.3,
				max_tokens: 200,
				seed: 7,
				stop: ['###'],
				preference: 'speed',
				allowed_providers: ['mistral', 'scaleway'],
				eu_native: true,
				allow_zero_data_retention: true,
			})),
		);
		expect(tokenUsages(resultData)).toHaveLength(2);
	});

	test('Information Extractor: the schema’s fields, extracted on the sub-node, router fields sent', async () => {
		const wf = e2eWorkflow('chat-model-extractor.json');
		const { resultData } = await executeOk(wf.id);
		const email = 'Hello, this is Anna Berger. My invoice is missing since two weeks.';
		// the test server fills a schema it is asked for from the user's message: texts with it, numbers with
		// its word count, booleans true
		expect(jsonOf(itemsOf(resultData, 'Extract ticket'))).toEqual([
			{ output: { customer: email, words: email.split(/\s+/).length, urgent: true } },
		]);
		const sent = chatRequests();
		expect(sent).toHaveLength(1);
		expect(sent[0].body).toEqual({
			model: 'mistral-large-2411',
			temperature: 0,
			stream: false,
			eu_native: true,
			allowed_providers: ['mistral'],
			messages: [
				{
					role: 'system',
					content: expect.stringContaining('JSON Schema instance your output must adhere to'),
				},
				{ role: 'user', content: email },
			],
		});
		const schema = JSON.parse(/```json\s*([\s\S]*?)```/.exec(sent[0].body.messages[0].content)[1]);
		expect(schema.properties).toMatchObject({
			customer: { type: 'string' },
			words: { type: 'number' },
			urgent: { type: 'boolean' },
		});
	});

	test('Summarization Chain (map-reduce example): each part, then the combination, on the sub-node', async () => {
		const wf = example('map-reduce-summary.json');
		const { resultData } = await executeOk(wf.id);
		const sent = chatRequests().map((r) => r.body);
		const [{ report }] = jsonOf(itemsOf(resultData, 'Long report'));
		// the parts of the text (3,000 characters each), then one request that combines their summaries
		expect(sent).toHaveLength(Math.ceil(report.length / 3000) + 1);
		const parts = sent.slice(0, -1);
		const final = sent[sent.length - 1];
		for (const body of sent) {
			expect(body).toEqual({
				model: 'mistral-small-2503',
				temperature: 0.2,
				max_tokens: 300,
				stream: false,
				preference: 'cost',
				eu_native: true,
				messages: [{ role: 'user', content: expect.any(String) }],
			});
		}
		const partTexts = parts.map((b) => b.messages[0].content);
		for (const text of partTexts)
			expect(text).toMatch(/^Write a short summary of this part of a report:/);
		// every month's section is in exactly one part: nothing of the report is left out
		const months = report.split('\n\n').map((section) => section.split('.')[0]);
		expect(months).toHaveLength(12);
		for (const month of months)
			expect(partTexts.filter((t) => t.includes(`${month}.`))).toHaveLength(1);
		const combine = final.messages[0].content;
		expect(combine).toMatch(/^Combine these summaries of the parts of one report/);
		// each part's summary (the test server's answer, cut at 300 words by Max Tokens) is in the combination
		const summaryOf = (text) => `Echo: ${text}`.split(/\s+/).slice(0, 300).join(' ');
		for (const text of partTexts) expect(combine).toContain(summaryOf(text));
		const [out] = jsonOf(itemsOf(resultData, 'Summarize in parts'));
		expect(out).toEqual({ output: { text: summaryOf(combine) } });
		expect(tokenUsages(resultData)).toHaveLength(sent.length);
	});
});

withSdk(`n8n ${N8N} server: the Cortecs Chat Model in the REST API and the editor`, () => {
	serveN8n();

	test('the sub-node type is listed: an AI language model with no inputs and no tool variant', async () => {
		await expectSubNodeListed(SUB_NODE_TYPE, 'Cortecs Chat Model', 'ai_languageModel');
	});

	test("the model list loads through n8n's REST API: chat models only, those without tools marked and last", async () => {
		const list = await modelListOverRest(SUB_NODE_TYPE, 'searchModels');
		const { MODELS } = require('../../tools/cortecs-server');
		// Embedding-only models cannot answer a chat request, so the Chat Model does not list them.
		const chatModels = MODELS.filter((m) => m.tags.some((tag) => tag !== 'Embedding'));
		const withTools = chatModels
			.filter((m) => m.supported_features.includes('tools'))
			.map((m) => m.id)
			.sort();
		const withoutTools = chatModels
			.filter((m) => !m.supported_features.includes('tools'))
			.map((m) => m.id)
			.sort();
		expect(list.results.map((r) => r.value)).toEqual([...withTools, ...withoutTools]);
		for (const r of list.results) {
			expect(r.name.includes('⚠ no tools')).toBe(withoutTools.includes(r.value));
		}
		expect(
			requestsSeen().every((r) => r.path === '/v1/models' && r.authorization === undefined),
		).toBe(true);
	});

	test('the editor shows the sub-node connected to the AI Agent, and its parameters (headless Chromium)', async () => {
		await inEditor(running.n8n, 'editor-chat-model-failure', async ({ page, shot }) => {
			await page.goto(`${running.n8n.url}/workflow/cortecsExample04`);
			const subNode = page.locator(
				'[data-test-id="canvas-node"][data-node-name="Cortecs Chat Model"]',
			);
			await subNode.waitFor();
			await page.locator('[data-test-id="canvas-node"][data-node-name="AI Agent"]').waitFor();
			// the edge from the sub-node's Model output to the agent's Chat Model input
			const edge = page.locator(
				'[data-test-id="edge"][data-source-node-name="Cortecs Chat Model"][data-target-node-name="AI Agent"]',
			);
			await edge.first().waitFor({ state: 'attached' });
			await page.screenshot({ path: shot('editor-chat-model-canvas') });

			const { label, modelInput } = await openNode(page, subNode);
			await expectLabelsVisible(label, [
				'Model',
				'Options',
				'Routing',
				'Temperature',
				'EU Native',
				'Preference',
			]);
			await expect(modelInput.inputValue()).resolves.toBe('mistral-small-2503');
			await page.screenshot({ path: shot('editor-chat-model-node') });
		});
	});
});

withoutSdk(`n8n ${N8N} (no @n8n/ai-node-sdk): the Cortecs Chat Model fails clearly`, () => {
	test(`a run that uses the sub-node fails with "needs n8n ${MIN_VERSION} or newer", before any request`, async () => {
		const wf = e2eWorkflow('chat-model-llm-chain.json');
		const { code, resultData, stdout, stderr } = await execute(wf.id);
		expect(code).not.toBe(0);
		// n8n reports a failing sub-node as "Error in sub-node <name>", with the sub-node's message below it
		expect(resultData.error).toMatchObject({
			name: 'NodeOperationError',
			message: 'Error in sub-node Cortecs Chat Model',
			description: `The Cortecs Chat Model needs n8n ${MIN_VERSION} or newer: update n8n, or use the Cortecs node`,
		});
		expect(`${stdout}\n${stderr}`).toContain(`needs n8n ${MIN_VERSION} or newer`);
		expect(chatRequests()).toEqual([]);
	});
});
