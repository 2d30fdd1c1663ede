'use strict';
/*
 * Files through the Cortecs node in a real n8n: the example examples/receipt-and-invoice.json runs
 * unmodified with `n8n execute`, in the user folder set up as npm start sets up its own (the example files
 * copied into .n8n-files/, tools/n8n/files.js). Read Files from Disk reads the PNG receipt and the PDF invoice;
 * the bytes the test server received are the files on disk; outputs and request bodies are exact; with the
 * demo answers of npm start, the invoice's fields come from its text.
 */
const fs = require('fs');
const path = require('path');
const {
	state,
	N8N,
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
const { filesFolder } = require('../../tools/n8n/files');
const { FILES_DIR, RECEIPT, INVOICE, INVOICE_FIELDS } = require('../../tools/example-files');

const running = useN8n('files');

const EXAMPLE = 'receipt-and-invoice.json';
const onDisk = (name) => fs.readFileSync(path.join(FILES_DIR, name));
const dataUrl = (mime, name) => `data:${mime};base64,${onDisk(name).toString('base64')}`;

/** The bytes of a data URL. */
const bytesOf = (url) => Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');

describe(`n8n ${N8N}: extract fields from a receipt image and an invoice PDF`, () => {
	const wf = example(EXAMPLE);
	const extract = wf.nodes.find((n) => n.name === 'Extract fields').parameters;
	const schema = JSON.parse(extract.options.jsonSchema);
	const [system, user] = extract.messages.message;

	test('the files n8n reads are the example files, copied where npm start puts them', () => {
		for (const name of [RECEIPT, INVOICE])
			expect(
				fs.readFileSync(path.join(filesFolder(state.n8nHome), name)).equals(onDisk(name)),
			).toBe(true);
	});

	test('one request per file: the image as an image_url part, the PDF as a file part, the bytes those on disk', async () => {
		const { resultData } = await executeOk(wf.id);

		expect(jsonOf(itemsOf(resultData, 'Read files from disk'))).toEqual([
			{
				mimeType: 'image/png',
				fileType: 'image',
				fileName: RECEIPT,
				fileExtension: 'png',
				fileSize: '1.78 kB', // n8n's rounding of 1,779 bytes
			},
			{
				mimeType: 'application/pdf',
				fileType: 'pdf',
				fileName: INVOICE,
				fileExtension: 'pdf',
				fileSize: '1 kB',
			},
		]);

		const body = (part) => ({
			model: 'mistral-small-2503',
			temperature: 0,
			eu_native: true,
			response_format: { type: 'json_schema', json_schema: schema },
			messages: [
				{ role: 'system', content: system.content },
				{ role: 'user', content: [{ type: 'text', text: user.content }, part] },
			],
		});
		expectChatBodies([
			body({ type: 'image_url', image_url: { url: dataUrl('image/png', RECEIPT) } }),
			body({
				type: 'file',
				file: { filename: INVOICE, file_data: dataUrl('application/pdf', INVOICE) },
			}),
		]);
		const sent = chatRequests();
		expect(sent.every((r) => r.status === 200 && r.authorization === `Bearer ${VALID_KEY}`)).toBe(
			true,
		);
		// The bytes themselves, decoded from what the server received.
		const parts = sent.map((r) => r.body.messages[1].content[1]);
		const image = parts.find((p) => p.type === 'image_url');
		const pdf = parts.find((p) => p.type === 'file');
		expect(bytesOf(image.image_url.url).equals(onDisk(RECEIPT))).toBe(true);
		expect(bytesOf(pdf.file.file_data).equals(onDisk(INVOICE))).toBe(true);

		// The echo answers fill every string with the user's text and numbers with its word count.
		const echo = {
			file: user.content,
			vendor: user.content,
			invoice_number: user.content,
			date: user.content,
			total: user.content.split(' ').length,
			currency: user.content,
		};
		const extracted = jsonOf(itemsOf(resultData, 'Extract fields'));
		expect(extracted.map((e) => e.parsed)).toEqual([echo, echo]);
		expect(jsonOf(itemsOf(resultData, 'Fields'))).toEqual(
			[RECEIPT, INVOICE].map((fileName, i) => ({
				fileName,
				...echo,
				cost_eur: extracted[i].cost_eur,
			})),
		);
		expectRecordedRun('receipt-and-invoice', resultData, wf);
	});

	test("with npm start's demo answers: the invoice's fields from its text, the receipt by its type and size", async () => {
		running.mock.configure({ style: 'demo' });
		try {
			const { resultData } = await executeOk(wf.id);
			const fields = jsonOf(itemsOf(resultData, 'Fields')).map(({ cost_eur, ...f }) => f);
			const unread = Object.fromEntries(Object.keys(INVOICE_FIELDS).map((key) => [key, null]));
			expect(fields).toEqual([
				{ fileName: RECEIPT, file: 'PNG image, 320 × 292 pixels', ...unread },
				{ fileName: INVOICE, file: 'PDF, 1 page', ...INVOICE_FIELDS },
			]);
		} finally {
			running.mock.configure({ style: 'echo' });
		}
	});
});
