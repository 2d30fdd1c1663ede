'use strict';
/*
 * The examples as `npm start` shows them without an API key: the test server in its 'demo' style
 * (tools/cortecs-server/demo.js). Each example's idea must show in its output: extraction sends the two e-mails
 * down different branches, summaries are shorter than their texts, the agent's answer uses its tool's
 * result.
 */
const {
	N8N,
	HAS_SDK,
	example,
	useN8n,
	execute,
	itemsOf,
	jsonOf,
	chatRequests,
} = require('./helpers');

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

	test('draft and refine: the draft answers from the notes, the refined answer is the draft in plainer words and shorter sentences', async () => {
		const wf = example('draft-and-refine.json');
		const { code, resultData } = await execute(wf.id);
		expect(code).toBe(0);
		const [{ question, draft, refined }] = jsonOf(itemsOf(resultData, 'Result'));
		expect(question).toBe('Why does it matter where an LLM request is processed?');
		// the notes' three sentences about where requests are processed (not the one about prices)
		expect(draft).toBe(
			'Cortecs processes every request with providers in the European Union, so the data remains subject to the GDPR. ' +
				'Requests processed outside the EU can be accessed by foreign authorities under their own laws. ' +
				'Numerous customer contracts additionally require that requests are never transferred to third countries.',
		);
		expect(refined).toBe(
			'Cortecs handles every request with providers in the European Union. So the data stays covered by the GDPR. ' +
				'Requests handled outside the EU can be accessed by foreign officials under their own laws. ' +
				'Many customer contracts also ask that requests are never sent to third countries.',
		);
		// the second call saw the first one's answer
		const refine = chatRequests().find((r) => r.body.model === 'mistral-large-2411').body;
		expect(refine.messages[2]).toEqual({ role: 'assistant', content: draft });
	});

	// the agent and map-reduce examples run on the Cortecs Chat Model (n8n 2.16.0 and newer)
	(HAS_SDK ? test : test.skip)(
		"AI agent: the tool translates the customer's German, the answer says in one sentence what the customer needs",
		async () => {
			const wf = example('agent-with-cortecs-tool.json');
			const { code, resultData } = await execute(wf.id);
			expect(code).toBe(0);
			const tool = wf.nodes.find((n) => /cortecsTool$/.test(n.type));
			const agent = wf.nodes.find((n) => /\.agent$/.test(n.type));
			const [toolOut] = jsonOf(itemsOf(resultData, tool.name, { type: 'ai_tool' }));
			expect(toolOut.content).toBe('Good morning! My invoice has been missing for two weeks.');
			const [answer] = jsonOf(itemsOf(resultData, agent.name));
			expect(answer.output).toBe(
				`According to ${tool.name}: "${toolOut.content}" ` +
					'The customer needs help because their invoice has been missing for two weeks.',
			);
		},
	);

	(HAS_SDK ? test : test.skip)(
		'map-reduce summary: five bullets that together name every department and cover every month, in order',
		async () => {
			const wf = example('map-reduce-summary.json');
			const { code, resultData } = await execute(wf.id);
			expect(code).toBe(0);
			const [{ output }] = jsonOf(itemsOf(resultData, 'Summarize in parts'));
			const bullets = output.text.split('\n');
			expect(bullets).toHaveLength(5);
			const months = [
				'January',
				'February',
				'March',
				'April',
				'May',
				'June',
				'July',
				'August',
				'September',
				'October',
				'November',
				'December',
			];
			let next = 0;
			for (const bullet of bullets) {
				// "- January to March: Sales reported 36 new contracts in January; Support reported …"
				const [, from, to] = /^- (\w+)(?: to (\w+))?(?: report)?: /.exec(bullet);
				expect(months.indexOf(from)).toBe(next);
				next = months.indexOf(to || from) + 1;
				for (const department of ['Sales', 'Support', 'Logistics', 'Engineering'])
					expect(bullet).toMatch(new RegExp(`\\b${department} reported \\d+ `));
			}
			expect(next).toBe(months.length);
		},
	);
});
