'use strict';
/*
 * The examples as `npm start` shows them without an API key: the test server in its 'demo' style
 * (tools/cortecs-server/demo.js). Each example's idea must show in its output: extraction sends the two e-mails
 * down different branches, summaries are shorter than their texts, the agent's answer uses its tool's
 * result.
 */
const { N8N, HAS_SDK, example, useN8n, execute, itemsOf, jsonOf } = require('./helpers');

const running = useN8n('demo');
beforeAll(() => running.mock.configure({ style: 'demo' }));

describe(`n8n ${N8N}: the examples with the demo answers of npm start`, () => {
	test('structured extraction: each field from the e-mail; the blocked customer is urgent, the wish is not', async () => {
		const wf = example('structured-extraction.json');
		const { code, resultData } = await execute(wf.id);
		expect(code).toBe(0);
		expect(jsonOf(itemsOf(resultData, 'Urgent ticket'))).toEqual([
			{
				queue: 'urgent',
				customer: 'Anna, Berlin Bikes',
				summary: 'Our invoice export has been down since this morning and we cannot bill anyone.',
				from: 'anna@example.com',
			},
		]);
		expect(jsonOf(itemsOf(resultData, 'Normal ticket'))).toEqual([
			{
				queue: 'normal',
				customer: 'Marc',
				summary: 'Could you add a dark mode to the dashboard some day?',
				from: 'marc@example.com',
			},
		]);
	});

	test('scheduled summaries: one short sentence per text, shorter than the text', async () => {
		const wf = example('scheduled-summaries.json');
		const { code, resultData } = await execute(wf.id);
		expect(code).toBe(0);
		const texts = jsonOf(itemsOf(resultData, 'Texts to summarise')).map((j) => j.text);
		const [digest] = jsonOf(itemsOf(resultData, 'Morning digest'));
		expect(digest.summaries).toEqual([
			'Revenue grew by 12 percent while costs stayed flat.',
			'Customers like the faster answers.',
			'Two engineers joined the platform team.',
		]);
		digest.summaries.forEach((s, i) => expect(s.length).toBeLessThan(texts[i].length));
	});

	// the agent example runs on the Cortecs Chat Model (n8n 2.16.0 and newer)
	(HAS_SDK ? test : test.skip)(
		"AI agent: the tool gets the quoted text, the final answer is built from the tool's result",
		async () => {
			const wf = example('agent-with-cortecs-tool.json');
			const { code, resultData } = await execute(wf.id);
			expect(code).toBe(0);
			const tool = wf.nodes.find((n) => /cortecsTool$/.test(n.type));
			const agent = wf.nodes.find((n) => /\.agent$/.test(n.type));
			const [toolOut] = jsonOf(itemsOf(resultData, tool.name, { type: 'ai_tool' }));
			expect(toolOut.content).toBe(
				'[translated into English] Guten Morgen! Meine Rechnung fehlt seit zwei Wochen.',
			);
			const [answer] = jsonOf(itemsOf(resultData, agent.name));
			expect(answer.output).toBe(`According to ${tool.name}: "${toolOut.content}"`);
		},
	);
});
