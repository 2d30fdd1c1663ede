'use strict';

// The 'demo' answers to messages with files (tools/cortecs-server/demo-files.js) over real HTTP, on the files
// and the JSON schema of the example examples/receipt-and-invoice.json: what `npm start` shows.

const fs = require('node:fs');
const path = require('node:path');
const { VALID_KEY } = require('../../tools/cortecs-server');
const { exampleFiles, RECEIPT, INVOICE, INVOICE_FIELDS } = require('../../tools/example-files');
const { useCortecsServer } = require('../server-fixture');

const server = useCortecsServer({}, { style: 'demo' });

const EXAMPLE = JSON.parse(
	fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'receipt-and-invoice.json'), 'utf8'),
);
const SCHEMA = JSON.parse(
	EXAMPLE.nodes.find((n) => n.name === 'Extract fields').parameters.options.jsonSchema,
);
const FILES = exampleFiles();
const RECEIPT_PART = {
	type: 'image_url',
	image_url: { url: `data:image/png;base64,${FILES[RECEIPT].toString('base64')}` },
};
const INVOICE_PART = {
	type: 'file',
	file: {
		filename: INVOICE,
		file_data: `data:application/pdf;base64,${FILES[INVOICE].toString('base64')}`,
	},
};

async function complete(parts, extra = {}) {
	const res = await fetch(server.url + '/chat/completions', {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${VALID_KEY}` },
		body: JSON.stringify({
			model: 'mistral-small-2503',
			messages: [{ role: 'user', content: [{ type: 'text', text: 'Extract.' }, ...parts] }],
			...extra,
		}),
	});
	expect(res.status).toBe(200);
	return (await res.json()).choices[0].message.content;
}

const extract = async (part) =>
	JSON.parse(
		await complete([part], { response_format: { type: 'json_schema', json_schema: SCHEMA } }),
	);

describe("style 'demo' with files", () => {
	test("the invoice PDF: its fields from its 'Label: value' lines, the file by its pages", async () => {
		expect(await extract(INVOICE_PART)).toEqual({ file: 'PDF, 1 page', ...INVOICE_FIELDS });
		expect(INVOICE_FIELDS.total).toBe(1234.5); // from 'Total: 1,234.50'
	});

	test('the receipt PNG: its type and size; its pixels are not read, so every other field is null', async () => {
		const unread = Object.fromEntries(Object.keys(INVOICE_FIELDS).map((key) => [key, null]));
		expect(await extract(RECEIPT_PART)).toEqual({ file: 'PNG image, 320 × 292 pixels', ...unread });
	});

	test("a field that is not nullable gets its type's empty value; nested objects are filled too", async () => {
		const schema = {
			name: 's',
			schema: {
				type: 'object',
				properties: {
					customer: { type: 'string' },
					paid: { type: 'boolean' },
					lines: { type: 'integer' },
					items: { type: 'array' },
					size: {
						type: 'object',
						properties: { pages: { type: 'string' }, due: { type: 'string' } },
					},
				},
			},
		};
		expect(
			JSON.parse(
				await complete([INVOICE_PART], {
					response_format: { type: 'json_schema', json_schema: schema },
				}),
			),
		).toEqual({
			customer: 'Berlin Bikes GmbH',
			paid: false,
			lines: 0,
			items: [],
			size: { pages: 'PDF, 1 page', due: '2026-12-28' },
		});
	});

	test('a text answer: each file by name and facts, a PDF with its text', async () => {
		expect(await complete([RECEIPT_PART, INVOICE_PART])).toBe(
			`image 1: PNG image, 320 × 292 pixels.\n\n${INVOICE}: PDF, 1 page.\n` +
				[
					'INVOICE',
					'Vendor: Nordlicht Software GmbH',
					'Address: Torstrasse 140, 10119 Berlin',
					'Invoice number: INV-2026-0042',
					'Date: 2026-11-28',
					'Customer: Berlin Bikes GmbH',
					'Workflow setup, 1 day ............ 950.00',
					'Support, December .................. 284.50',
					'Total: 1,234.50',
					'Currency: EUR',
					'Due: 2026-12-28',
				].join('\n'),
		);
	});
});
