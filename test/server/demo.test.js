'use strict';

// The 'demo' answer style (tools/cortecs-server/demo.js) over real HTTP: what `npm start` shows a newcomer
// without an API key. The default 'echo' style is covered by tools/cortecs-server.test.js.

const { VALID_KEY } = require('../../tools/cortecs-server');
const { useCortecsServer } = require('../server-fixture');

const server = useCortecsServer({}, { style: 'demo' });

async function complete(body) {
	const res = await fetch(server.url + '/chat/completions', {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${VALID_KEY}` },
		body: JSON.stringify({ model: 'mistral-small-2503', ...body }),
	});
	expect(res.status).toBe(200);
	return (await res.json()).choices[0];
}

const ANNA =
	'Hi, this is Anna from Berlin Bikes. Our invoice export has been down since this morning and we cannot bill anyone.';
const MARC = 'Hello, Marc here. Could you add a dark mode to the dashboard some day?';
const TICKET = {
	type: 'json_schema',
	json_schema: {
		name: 'support_ticket',
		schema: {
			type: 'object',
			properties: {
				customer: { type: 'string', description: 'Who wrote, with the company if given' },
				summary: { type: 'string', description: 'The request in one sentence' },
				urgent: { type: 'boolean', description: 'Whether work is blocked' },
			},
		},
	},
};

describe("style 'demo'", () => {
	test('extraction fills each schema field from the text: the writer, the request, whether work is blocked', async () => {
		const extract = async (text) =>
			JSON.parse(
				(await complete({ response_format: TICKET, messages: [{ role: 'user', content: text }] }))
					.message.content,
			);
		expect(await extract(ANNA)).toEqual({
			customer: 'Anna, Berlin Bikes',
			summary: 'Our invoice export has been down since this morning and we cannot bill anyone.',
			urgent: true,
		});
		expect(await extract(MARC)).toEqual({
			customer: 'Marc',
			summary: 'Could you add a dark mode to the dashboard some day?',
			urgent: false,
		});
	});

	test('a summary of one paragraph is its first clause, shorter than the text', async () => {
		const summarise = async (text) =>
			(
				await complete({
					messages: [
						{
							role: 'system',
							content: 'Summarise the text in one short sentence for a morning digest.',
						},
						{ role: 'user', content: text },
					],
				})
			).message.content;
		const texts = {
			'Revenue grew by 12 percent while costs stayed flat, driven by the new EU data centre.':
				'Revenue grew by 12 percent while costs stayed flat.',
			'Customers like the faster answers but ask for invoices in their own language.':
				'Customers like the faster answers.',
			'Two engineers joined the platform team and the on-call rota now covers weekends.':
				'Two engineers joined the platform team.',
		};
		for (const [text, summary] of Object.entries(texts))
			expect(await summarise(text)).toBe(summary);
		// a summarisation chain's prompt quotes its material; a short text still gets a shorter summary
		const quoted = `Write a concise summary of the following:\n\n"${ANNA}"\n\nCONCISE SUMMARY:`;
		expect(await summarise(quoted)).toBe('Our invoice export has been down since this morning.');
		expect(await summarise('Short text here.')).toBe('Short text.');
	});

	test('a summary keeps the facts of every paragraph: the heading and each figure’s clause; beyond five, neighbours share a point and its label spans theirs', async () => {
		const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July'];
		const teams = ['Sales', 'Support'];
		const figure = (m, t) => 10 * m + t;
		const report = months.map(
			(month, m) =>
				`${month} report. ` +
				teams
					.map(
						(team, t) =>
							`${team} reported ${figure(m, t)} wins in ${month}, up 2 percent. The team stayed calm.`,
					)
					.join(' '),
		);
		const facts = (m) =>
			teams.map((team, t) => `${team} reported ${figure(m, t)} wins in ${months[m]}`).join('; ');
		const ask = async (prompt) =>
			(await complete({ messages: [{ role: 'user', content: prompt }] })).message.content;

		// a part of a report (the map step): one line per paragraph
		const part = await ask(
			`Write a short summary of this part of a report:\n\n"${report.slice(0, 2).join('\n\n')}"\n\nSUMMARY:`,
		);
		expect(part).toBe(`January report: ${facts(0)}.\n\nFebruary report: ${facts(1)}.`);

		// the summaries of the parts combined (the reduce step): seven lines into five bullets, none dropped
		const lines = months.map((month, m) => `${month} report: ${facts(m)}.`);
		const parts = [lines.slice(0, 2), lines.slice(2, 4), lines.slice(4)].map((p) => p.join('\n\n'));
		expect(
			await ask(
				`Combine these summaries into five bullet points:\n\n"${parts.join('\n\n')}"\n\nBULLETS:`,
			),
		).toBe(
			[
				`- January to February: ${facts(0)}.`,
				`- March to April: ${facts(2)}.`,
				`- May report: ${facts(4)}.`,
				`- June report: ${facts(5)}.`,
				`- July report: ${facts(6)}.`,
			].join('\n'),
		);
	});

	test('a question about quoted notes is answered with the notes’ sentences that share its words, as many as allowed', async () => {
		const notes =
			'Requests processed in the EU stay under EU law. Latency is lower nearby. Foreign courts cannot demand requests processed here. Prices are in euros.';
		const answer = async (system) =>
			(
				await complete({
					messages: [
						{ role: 'system', content: system },
						{
							role: 'user',
							content: `Notes: "${notes}"\n\nWhy does it matter where a request is processed?`,
						},
					],
				})
			).message.content;
		expect(await answer('Answer in at most three sentences.')).toBe(
			'Requests processed in the EU stay under EU law. Foreign courts cannot demand requests processed here.',
		);
		expect(await answer('Answer in at most one sentence.')).toBe(
			'Requests processed in the EU stay under EU law.',
		);
	});

	test('asked to refine its earlier answer, it rewrites that answer: plainer words, one clause per sentence, every fact kept', async () => {
		const draft =
			'Cortecs processes every request in the EU, so the data remains subject to the GDPR. Numerous contracts additionally require it.';
		const refined = await complete({
			messages: [
				{ role: 'system', content: 'You are a careful editor.' },
				{ role: 'user', content: 'Why does it matter?' },
				{ role: 'assistant', content: draft },
				{ role: 'user', content: 'Refine your answer: plainer words, keep every fact.' },
			],
		});
		expect(refined.message.content).toBe(
			'Cortecs handles every request in the EU. So the data stays covered by the GDPR. Many contracts also ask it.',
		);
	});

	test('a tool call passes the quoted text; the translation comes from the phrasebook; the answer after the tool result quotes it and says what the customer needs', async () => {
		const prompt =
			'A customer wrote: "Guten Morgen! Meine Rechnung fehlt seit zwei Wochen." Translate it, then say in one sentence what the customer needs.';
		const tools = [
			{
				type: 'function',
				function: {
					name: 'Translate_with_Cortecs',
					parameters: {
						type: 'object',
						properties: { text: { type: 'string' } },
						required: ['text'],
					},
				},
			},
		];
		const messages = [{ role: 'user', content: prompt }];
		const call = (await complete({ tools, messages })).message.tool_calls[0];
		expect(JSON.parse(call.function.arguments)).toEqual({
			text: 'Guten Morgen! Meine Rechnung fehlt seit zwei Wochen.',
		});

		const translate = async (text) =>
			(
				await complete({
					messages: [
						{ role: 'system', content: 'Translate the text into English.' },
						{ role: 'user', content: text },
					],
				})
			).message.content;
		const translated = await translate('Guten Morgen! Meine Rechnung fehlt seit zwei Wochen.');
		expect(translated).toBe('Good morning! My invoice has been missing for two weeks.');
		// what the phrasebook does not hold stays as it is, marked
		expect(await translate('Guten Morgen! Wo ist mein Paket?')).toBe(
			'Good morning! [untranslated: Wo ist mein Paket?]',
		);

		const result = JSON.stringify([{ role: 'assistant', content: translated }]);
		const final = await complete({
			tools,
			messages: [
				...messages,
				{ role: 'assistant', content: null, tool_calls: [call] },
				{ role: 'tool', tool_call_id: call.id, content: result },
			],
		});
		expect(final.finish_reason).toBe('stop');
		expect(final.message.content).toBe(
			'According to Translate with Cortecs: "Good morning! My invoice has been missing for two weeks." ' +
				'The customer needs help because their invoice has been missing for two weeks.',
		);
	});

	test('other requests are echoed as in the default style', async () => {
		expect(
			(await complete({ messages: [{ role: 'user', content: 'Why?' }] })).message.content,
		).toBe('Echo: Why?');
	});
});
