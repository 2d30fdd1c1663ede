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

	test('a text of several paragraphs: the gist of each (headings skipped, at most five), as bullet points when asked', async () => {
		const months = ['January', 'February', 'March', 'April', 'May', 'June'];
		const report = months
			.map(
				(month, i) =>
					`${month} report. Sales reported ${40 + i} new contracts in ${month}, up 2 percent. Costs stayed flat.`,
			)
			.join('\n\n');
		const gists = months
			.slice(0, 5)
			.map((month, i) => `Sales reported ${40 + i} new contracts in ${month}.`);
		const ask = async (prompt) =>
			(await complete({ messages: [{ role: 'user', content: prompt }] })).message.content;
		expect(
			await ask(`Write a short summary of this part of a report:\n\n"${report}"\n\nSUMMARY:`),
		).toBe(gists.join(' '));
		expect(
			await ask(
				`Combine these summaries into five bullet points:\n\n"${report}"\n\nBULLET POINTS:`,
			),
		).toBe(gists.map((gist) => `- ${gist}`).join('\n'));
	});

	test('a tool call passes the quoted text; the answer after the tool result is built from that result', async () => {
		const prompt =
			'A customer wrote: "Guten Morgen! Meine Rechnung fehlt seit zwei Wochen." Translate it.';
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

		const translated = (
			await complete({
				messages: [
					{ role: 'system', content: 'Translate the text into English.' },
					{ role: 'user', content: 'Guten Morgen!' },
				],
			})
		).message.content;
		expect(translated).toBe('[translated into English] Guten Morgen!');

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
			'According to Translate with Cortecs: "[translated into English] Guten Morgen!"',
		);
	});

	test('other requests are echoed as in the default style', async () => {
		expect(
			(await complete({ messages: [{ role: 'user', content: 'Why?' }] })).message.content,
		).toBe('Echo: Why?');
	});
});
