/**
 * Chat → Complete with Files through n8n-core's RoutingNode against the loopback Cortecs server: the exact
 * content parts for every kind of file, n8n's filesystem binary data mode, bad input (nothing sent),
 * Continue On Fail, the output, and when the bytes are read (as the request leaves, not before).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Container } = require('@n8n/di');
const { BinaryDataConfig, BinaryDataService, RoutingNode } = require('n8n-core');
const { NodeOperationError } = require('n8n-workflow');

const { MODELS } = require('../tools/cortecs-server');
const { useCortecsServer } = require('./server-fixture');
const { runNode, chatParameters } = require('../tools/harness/routing');

const server = useCortecsServer();

const fixture = (name) => fs.readFileSync(path.join(__dirname, 'fixtures', 'files', name));
const PNG = fixture('red-3x2.png');
const JPEG = fixture('blue-3x2.jpg');
const GIF = fixture('green-3x2.gif');
const WEBP = fixture('red-3x2.webp');
const PDF = fixture('invoice.pdf');
const NOTES = Buffer.from('Milk\nEggs\n', 'utf8');

/** A binary property as n8n writes it in its default (in-memory) mode. */
const inMemory = (buffer, mimeType, fileName) => ({
	data: buffer.toString('base64'),
	mimeType,
	fileName,
	fileSize: `${buffer.length} B`,
	bytes: buffer.length,
});

const dataUrl = (mimeType, buffer) => `data:${mimeType};base64,${buffer.toString('base64')}`;
const pngPart = { type: 'image_url', image_url: { url: dataUrl('image/png', PNG) } };
const pdfPart = {
	type: 'file',
	file: { filename: 'invoice.pdf', file_data: dataUrl('application/pdf', PDF) },
};

const receipt = { data: inMemory(PNG, 'image/png', 'receipt.png') };

/** Chat parameters with message rows ([role, content, files]) and more parameters. */
function withRows(rows, extra = {}) {
	return chatParameters({
		messages: { message: rows.map(([role, content, files]) => ({ role, content, files })) },
		...extra,
	});
}

async function run(parameters, items = [{ json: {}, binary: receipt }], extra = {}) {
	const result = await runNode({ baseUrl: server.url, parameters, items, ...extra });
	if (result.error) throw result.error;
	return result.items;
}

async function messagesSent(rows, binary, extra) {
	await run(withRows(rows, extra), [{ json: {}, binary }]);
	const requests = server.chatRequests();
	expect(requests).toHaveLength(1);
	return requests[0].body.messages;
}

describe('content parts', () => {
	test('an image becomes an image_url part with a data URL, after the row’s text', async () => {
		await run(withRows([['user', 'What is on the receipt?', 'data']]));
		const [request] = server.chatRequests();
		expect(request.body).toEqual({
			model: 'mistral-small-2503',
			messages: [
				{ role: 'user', content: [{ type: 'text', text: 'What is on the receipt?' }, pngPart] },
			],
		});
	});

	test.each([
		['image/png', 'a.png', PNG],
		['image/jpeg', 'a.jpg', JPEG],
		['image/webp', 'a.webp', WEBP],
		['image/gif', 'a.gif', GIF],
	])('%s goes as an image part of its type', async (mimeType, fileName, bytes) => {
		const messages = await messagesSent([['user', 'Hi', 'data']], {
			data: inMemory(bytes, mimeType, fileName),
		});
		expect(messages[0].content[1]).toEqual({
			type: 'image_url',
			image_url: { url: dataUrl(mimeType, bytes) },
		});
	});

	test('image/jpg (written by some tools) and MIME parameters are sent as the plain type', async () => {
		const messages = await messagesSent([['user', 'Hi', 'a, b']], {
			a: inMemory(JPEG, 'image/jpg', 'a.jpg'),
			b: inMemory(PNG, 'IMAGE/PNG; name=b.png', 'b.png'),
		});
		expect(messages[0].content.slice(1)).toEqual([
			{ type: 'image_url', image_url: { url: dataUrl('image/jpeg', JPEG) } },
			pngPart,
		]);
	});

	test('a PDF becomes a file part with its file name', async () => {
		const messages = await messagesSent([['user', 'Total?', 'invoice']], {
			invoice: inMemory(PDF, 'application/pdf', 'invoice.pdf'),
		});
		expect(messages).toEqual([
			{ role: 'user', content: [{ type: 'text', text: 'Total?' }, pdfPart] },
		]);
	});

	test.each([
		['text/plain', 'notes.txt', NOTES, 'Milk\nEggs\n'],
		['text/csv', 'list.csv', Buffer.from('item,qty\nmilk,1\n'), 'item,qty\nmilk,1\n'],
		['application/json', 'order.json', Buffer.from('{"qty": 1}'), '{"qty": 1}'],
		['application/xml', 'order.xml', Buffer.from('<qty>1</qty>'), '<qty>1</qty>'],
		['text/markdown', 'README.md', Buffer.from('# Title'), '# Title'],
		['application/ld+json', 'a.jsonld', Buffer.from('{}'), '{}'],
		['text/plain', 'bom.txt', Buffer.from('\uFEFFhallo', 'utf8'), 'hallo'],
	])(
		'a text file (%s) is inlined as a text part headed by its name',
		async (mime, name, bytes, text) => {
			const messages = await messagesSent([['user', 'Read this', 'data']], {
				data: inMemory(bytes, mime, name),
			});
			expect(messages[0].content).toEqual([
				{ type: 'text', text: 'Read this' },
				{ type: 'text', text: `File ${name}:\n${text}` },
			]);
		},
	);

	test('several files in one row: one part each, in the order given', async () => {
		const messages = await messagesSent([['user', 'Compare', ' invoice , data,notes ']], {
			data: receipt.data,
			invoice: inMemory(PDF, 'application/pdf', 'invoice.pdf'),
			notes: inMemory(NOTES, 'text/plain', 'notes.txt'),
		});
		expect(messages[0].content).toEqual([
			{ type: 'text', text: 'Compare' },
			pdfPart,
			pngPart,
			{ type: 'text', text: 'File notes.txt:\nMilk\nEggs\n' },
		]);
	});

	test('an https:// URL is sent as it is, as an image part', async () => {
		const url = 'https://example.com/cat.png?size=large';
		const messages = await messagesSent([['user', 'What animal?', url]], {});
		expect(messages[0].content).toEqual([
			{ type: 'text', text: 'What animal?' },
			{ type: 'image_url', image_url: { url } },
		]);
	});

	test('Image Detail goes on every image part (files and URLs), not on PDFs', async () => {
		const url = 'https://example.com/cat.png';
		const messages = await messagesSent(
			[['user', 'Look', `data, ${url}, invoice`]],
			{ data: receipt.data, invoice: inMemory(PDF, 'application/pdf', 'invoice.pdf') },
			{ options: { imageDetail: 'low' } },
		);
		expect(messages[0].content).toEqual([
			{ type: 'text', text: 'Look' },
			{ type: 'image_url', image_url: { url: dataUrl('image/png', PNG), detail: 'low' } },
			{ type: 'image_url', image_url: { url, detail: 'low' } },
			pdfPart,
		]);
	});

	test('files in two rows: each row gets its own; rows without files keep text content', async () => {
		const messages = await messagesSent(
			[
				['system', 'You read receipts.', ''],
				['user', 'First receipt', 'data'],
				['assistant', 'Noted.', ''],
				['user', 'And the invoice', 'invoice'],
			],
			{ data: receipt.data, invoice: inMemory(PDF, 'application/pdf', 'invoice.pdf') },
		);
		expect(messages).toEqual([
			{ role: 'system', content: 'You read receipts.' },
			{ role: 'user', content: [{ type: 'text', text: 'First receipt' }, pngPart] },
			{ role: 'assistant', content: 'Noted.' },
			{ role: 'user', content: [{ type: 'text', text: 'And the invoice' }, pdfPart] },
		]);
	});

	test('an expression may give Files as a list of names', async () => {
		const messages = await messagesSent([['user', 'Hi', '={{ ["invoice", "data"] }}']], {
			data: receipt.data,
			invoice: inMemory(PDF, 'application/pdf', 'invoice.pdf'),
		});
		expect(messages[0].content).toEqual([{ type: 'text', text: 'Hi' }, pdfPart, pngPart]);
	});

	test('Files of only commas and blanks is no files: the row stays text', async () => {
		const messages = await messagesSent([['user', 'Hi', ' , ']], receipt);
		expect(messages).toEqual([{ role: 'user', content: 'Hi' }]);
	});

	test('a row with files and no text sends the files alone', async () => {
		const messages = await messagesSent([['user', '', 'data']], receipt);
		expect(messages).toEqual([{ role: 'user', content: [pngPart] }]);
	});
});

describe('output', () => {
	/** The items of the same run with Files empty (test/chat.test.js has them exactly). */
	async function withoutFiles(extra = {}) {
		server.reset();
		return await run(withRows([['user', 'Hello', '']], extra));
	}

	test('Simplify on: the items are exactly those without files (no `files`)', async () => {
		const items = await run(withRows([['user', 'Hello', 'data']]));
		expect(items).toEqual(await withoutFiles());
		expect(items).toHaveLength(1);
		expect(items[0].json.content).toBe('Echo: Hello');
		expect(items[0].json).not.toHaveProperty('files');
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	test('Simplify off: the body plus `files` (property, name, MIME type, bytes sent)', async () => {
		const url = 'https://example.com/cat.png';
		const binary = { ...receipt, invoice: inMemory(PDF, 'application/pdf', 'invoice.pdf') };
		const items = await run(
			withRows([['user', 'Hello', `data, invoice, ${url}`]], { simplify: false }),
			[{ json: {}, binary }],
		);
		const [plain] = await withoutFiles({ simplify: false });
		expect(plain.json).not.toHaveProperty('files');
		expect(items).toEqual([
			{
				json: {
					...plain.json,
					created: items[0].json.created,
					files: [
						{ property: 'data', name: 'receipt.png', mimeType: 'image/png', bytes: PNG.length },
						{
							property: 'invoice',
							name: 'invoice.pdf',
							mimeType: 'application/pdf',
							bytes: PDF.length,
						},
						{ name: url, mimeType: null, bytes: null },
					],
				},
				pairedItem: { item: 0 },
			},
		]);
	});
});

describe("n8n's filesystem binary data mode", () => {
	let storage;
	let service;
	beforeAll(async () => {
		storage = fs.mkdtempSync(path.join(os.tmpdir(), 'cortecs-binary-'));
		const config = Container.get(BinaryDataConfig);
		config.mode = 'filesystem';
		config.localStoragePath = storage;
		service = Container.get(BinaryDataService);
		await service.init();
	});
	afterAll(() => fs.rmSync(storage, { recursive: true, force: true }));

	const store = async (buffer, mimeType, fileName) =>
		await service.store({ type: 'execution', workflowId: 'wf-test', executionId: '1' }, buffer, {
			mimeType,
			fileName,
			data: '',
		});

	test('the bytes come from the binary data service: the item holds only a reference', async () => {
		const png = await store(PNG, 'image/png', 'receipt.png');
		const pdf = await store(PDF, 'application/pdf', 'invoice.pdf');
		expect(png.id).toMatch(/^filesystem-v2:/);
		expect(png.data).toBe('filesystem-v2');
		const messages = await messagesSent([['user', 'Both', 'data, invoice']], {
			data: png,
			invoice: pdf,
		});
		expect(messages[0].content).toEqual([{ type: 'text', text: 'Both' }, pngPart, pdfPart]);
	});

	test('a file without `bytes` (older n8n) is measured by its stored metadata', async () => {
		const { bytes, ...pdf } = await store(PDF, 'application/pdf', 'invoice.pdf');
		expect(bytes).toBe(PDF.length);
		const items = await run(withRows([['user', 'Size?', 'data']], { simplify: false }), [
			{ json: {}, binary: { data: pdf } },
		]);
		expect(items[0].json.files).toEqual([
			{ property: 'data', name: 'invoice.pdf', mimeType: 'application/pdf', bytes: PDF.length },
		]);
	});

	test('each file is read as its request leaves: one at a time with Max Concurrent Requests 1', async () => {
		const reads = [];
		const getAsBuffer = service.getAsBuffer.bind(service);
		const spy = jest.spyOn(service, 'getAsBuffer').mockImplementation(async (binary) => {
			reads.push({ file: binary.fileName, requestsBefore: server.chatRequests().length });
			return await getAsBuffer(binary);
		});
		try {
			const items = [];
			for (let i = 0; i < 4; i++) {
				items.push({ json: {}, binary: { data: await store(PNG, 'image/png', `r${i}.png`) } });
			}
			const out = await run(
				withRows([['user', 'Read', 'data']], { throughput: { maxConcurrency: 1 } }),
				items,
			);
			expect(out.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
			expect(reads).toEqual([0, 1, 2, 3].map((i) => ({ file: `r${i}.png`, requestsBefore: i })));
		} finally {
			spy.mockRestore();
		}
	});
});

describe("n8n's combined binary mode (files in the item's JSON)", () => {
	const combined = { settings: { binaryMode: 'combined' } };

	test('a property names a file in the JSON', async () => {
		const items = [{ json: { invoice: inMemory(PDF, 'application/pdf', 'invoice.pdf'), n: 1 } }];
		await run(withRows([['user', 'Total?', 'invoice']]), items, combined);
		const [request] = server.chatRequests();
		expect(request.body.messages[0].content).toEqual([{ type: 'text', text: 'Total?' }, pdfPart]);
	});

	test('a missing one: the error lists the files in the JSON', async () => {
		const items = [{ json: { invoice: inMemory(PDF, 'application/pdf', 'invoice.pdf'), n: 1 } }];
		const [item] = await run(withRows([['user', 'Hi', 'data']]), items, {
			...combined,
			continueOnFail: true,
		});
		expect(server.chatRequests()).toHaveLength(0);
		expect(item.json.description).toBe(
			"The item's binary properties are: invoice. Name one of them (comma-separated for several), or an https:// image URL.",
		);
	});
});

describe('retries', () => {
	test('each attempt reads the file again and sends the same bytes; none are kept in between', async () => {
		const service = Container.get(BinaryDataService);
		const reads = jest.spyOn(service, 'getAsBuffer');
		try {
			const [item] = await run(withRows([['user', '[[fault:502:1]] Hi', 'data']]));
			expect(item.json.content).toBe('Echo: [[fault:502:1]] Hi');
			expect(reads).toHaveBeenCalledTimes(2);
		} finally {
			reads.mockRestore();
		}
		const requests = server.chatRequests();
		expect(requests.map((r) => r.status)).toEqual([502, 200]);
		expect(requests.map((r) => r.body.messages[0].content[1])).toEqual([pngPart, pngPart]);
	});
});

describe('memory', () => {
	test('the request data n8n keeps for the run holds no file bytes, only their places', async () => {
		const kept = [];
		const makeRequest = RoutingNode.prototype.makeRequest;
		const spy = jest.spyOn(RoutingNode.prototype, 'makeRequest').mockImplementation(function (
			requestData,
			...rest
		) {
			kept.push(requestData);
			return makeRequest.call(this, requestData, ...rest);
		});
		try {
			const items = [0, 1, 2].map(() => ({ json: {}, binary: receipt }));
			await run(withRows([['user', 'Hi', 'data']]), items);
		} finally {
			spy.mockRestore();
		}
		expect(server.chatRequests().map((r) => r.body.messages[0].content[1])).toEqual([
			pngPart,
			pngPart,
			pngPart,
		]);
		expect(kept).toHaveLength(3);
		for (const requestData of kept) {
			const [, placeholder] = requestData.options.body.messages[0].content;
			expect(JSON.stringify(requestData)).not.toContain(PNG.toString('base64'));
			expect(placeholder).toMatchObject({
				property: 'data',
				kind: 'image',
				fileName: 'receipt.png',
			});
		}
	});
});

describe('bad input fails the item before anything is sent', () => {
	/** The item's error (with Continue On Fail, which keeps the NodeOperationError as it is). */
	async function failure(rows, binary, extra) {
		const [item, ...more] = await run(withRows(rows, extra), [{ json: {}, binary }], {
			continueOnFail: true,
		});
		expect(server.chatRequests()).toHaveLength(0);
		expect(more).toEqual([]);
		expect(item.error).toBeInstanceOf(NodeOperationError);
		expect(item.json).toEqual({
			error: item.error.message,
			description: item.error.description,
			httpCode: null,
		});
		expect(item.pairedItem).toEqual({ item: 0 });
		return { message: item.error.message, description: item.error.description };
	}

	test('a missing property: the error lists the properties the item has', async () => {
		const binary = { data: receipt.data, attachment_0: inMemory(PDF, 'application/pdf', 'a.pdf') };
		expect(await failure([['user', 'Hi', 'invoice']], binary)).toEqual({
			message: 'Messages → message 1 (user) → Files: the item has no binary property "invoice"',
			description:
				"The item's binary properties are: data, attachment_0. Name one of them (comma-separated for several), or an https:// image URL.",
		});
	});

	test('an item without binary data: the error says how to get some', async () => {
		const { message, description } = await failure([['user', 'Hi', 'data']], undefined);
		expect(message).toBe(
			'Messages → message 1 (user) → Files: the item has no binary property "data"',
		);
		expect(description).toMatch(/^The item has no binary data\. Read or download the file/);
	});

	test('an unsupported type names the property, its MIME type and what is supported', async () => {
		const zip = inMemory(Buffer.from('PK\x03\x04'), 'application/zip', 'docs.zip');
		expect(await failure([['user', 'Hi', 'data']], { data: zip })).toEqual({
			message:
				'Messages → message 1 (user) → Files: "data" (docs.zip) is application/zip, which the node cannot send',
			description:
				'Send images (PNG, JPEG, WebP, GIF), PDFs, and text files (text/*, JSON, CSV, XML, Markdown). Convert other files first (Extract from File turns spreadsheets and documents into text), or correct the MIME type if it is wrong.',
		});
	});

	test('a file larger than Max File Size names the file and both sizes', async () => {
		const big = inMemory(Buffer.alloc(10_001, 'a'), 'text/plain', 'big.txt');
		expect(
			await failure([['user', 'Hi', 'data']], { data: big }, { options: { maxFileSize: 0.01 } }),
		).toEqual({
			message:
				'Messages → message 1 (user) → Files: "data" (big.txt) is 10.0 kB (10001 bytes), larger than Options → Max File Size (MB) (10.0 kB)',
			description:
				"Send a smaller file (a scaled-down image, fewer PDF pages), or raise Options → Max File Size (MB) if the model's provider accepts larger files.",
		});
	});

	test('an empty file', async () => {
		const empty = inMemory(Buffer.alloc(0), 'image/png', 'empty.png');
		expect(await failure([['user', 'Hi', 'data']], { data: empty })).toEqual({
			message: 'Messages → message 1 (user) → Files: "data" (empty.png) is empty',
			description: 'Check the node before this one: it wrote a file without content.',
		});
	});

	test('the default limit is 20 MB, taken from the file’s metadata (nothing is read)', async () => {
		const claimed = { ...receipt.data, bytes: 20_000_001 };
		const { message } = await failure([['user', 'Hi', 'data']], { data: claimed });
		expect(message).toBe(
			'Messages → message 1 (user) → Files: "data" (receipt.png) is 20.0 MB (20000001 bytes), larger than Options → Max File Size (MB) (20.0 MB)',
		);
	});

	test.each(['system', 'assistant'])('files on a %s row', async (role) => {
		expect(await failure([[role, 'Hi', 'data']], receipt)).toEqual({
			message: `Messages → message 1 (${role}) → Files: a ${role} message cannot carry files`,
			description: 'Move the files to a User message, or clear Files on this row.',
		});
	});

	test('Files from an expression that is not a list of names', async () => {
		const { message } = await failure([['user', 'Hi', '={{ { a: 1 } }}']], receipt);
		expect(message).toBe('Messages → message 1 (user) → Files: {"a":1} is not a list of names');
	});

	test('an http:// URL', async () => {
		const { message } = await failure([['user', 'Hi', 'http://example.com/a.png']], receipt);
		expect(message).toBe(
			'Messages → message 1 (user) → Files: "http://example.com/a.png" is not an https:// URL',
		);
	});

	test('Max File Size from an expression that is not a number', async () => {
		const { message } = await failure([['user', 'Hi', 'data']], receipt, {
			options: { maxFileSize: 'big' },
		});
		expect(message).toBe('Options → Max File Size (MB): "big" is not a number of at least 0.01');
	});
});

describe('Continue On Fail', () => {
	test('one output per item, in order and paired; the item with a missing file is not sent', async () => {
		const items = [
			{ json: {}, binary: receipt },
			{ json: {}, binary: { other: receipt.data } },
			{ json: {}, binary: { data: inMemory(PDF, 'application/pdf', 'invoice.pdf') } },
		];
		const out = await run(withRows([['user', 'Read', 'data']]), items, { continueOnFail: true });
		expect(out.map((item) => [item.pairedItem, item.json.content ?? item.json.error])).toEqual([
			[{ item: 0 }, 'Echo: Read'],
			[{ item: 1 }, 'Messages → message 1 (user) → Files: the item has no binary property "data"'],
			[{ item: 2 }, 'Echo: Read'],
		]);
		expect(out[1].json).toEqual({
			error: 'Messages → message 1 (user) → Files: the item has no binary property "data"',
			description:
				"The item's binary properties are: other. Name one of them (comma-separated for several), or an https:// image URL.",
			httpCode: null,
		});
		const sent = server.chatRequests().map((r) => r.body.messages[0].content[1]);
		expect(sent.sort((a, b) => a.type.localeCompare(b.type))).toEqual([pdfPart, pngPart]);
	});
});

describe('API errors on requests with files: hints about the files', () => {
	const HINT_400 =
		'The router or the provider rejected a parameter. Remove options this model does not support, or check the value named in the message.';

	async function errorItem(content, binary) {
		const [item] = await run(
			withRows([['user', content, Object.keys(binary).join(', ')]], {
				throughput: { maxRetries: 0 },
			}),
			[{ json: {}, binary }],
			{ continueOnFail: true },
		);
		return item.json;
	}

	/** The catalogue's models tagged Image or Document that read `modality`, as the hint lists them. */
	const readers = (modality) =>
		MODELS.filter(
			(m) =>
				(m.tags.includes('Image') || m.tags.includes('Document')) &&
				m.input_modalities.includes(modality),
		)
			.map((m) => m.id)
			.sort((a, b) => a.localeCompare(b))
			.join(', ');

	test('a 400 names the models that read the images and documents sent (from the catalogue)', async () => {
		expect(readers('image')).toContain('pixtral-large-2411');
		expect(readers('document')).toContain('mistral-ocr-2505');
		const binary = { ...receipt, invoice: inMemory(PDF, 'application/pdf', 'invoice.pdf') };
		expect((await errorItem('[[fault:400]]', binary)).description).toBe(
			`${HINT_400} The request sent images and documents (PDF), which only some models read. Models that read images: ${readers('image')}; documents (PDF): ${readers('document')}.`,
		);
		const catalogue = server.requests.filter((r) => r.path === '/v1/models');
		expect(catalogue.map((r) => r.query.tag).sort()).toEqual(['Document', 'Image']);
	});

	test('a 422 with an image alone names the models that read images', async () => {
		const { description, httpCode } = await errorItem('[[fault:422]]', receipt);
		expect(httpCode).toBe('422');
		expect(
			description.endsWith(
				` The request sent images, which only some models read. Models that read images: ${readers('image')}.`,
			),
		).toBe(true);
	});

	test('a 400 with text files only keeps the plain hint: any model reads text', async () => {
		const notes = { notes: inMemory(NOTES, 'text/plain', 'notes.txt') };
		expect((await errorItem('[[fault:400]]', notes)).description).toBe(HINT_400);
	});

	test('a 413 with files gets its own hint, with the size sent', async () => {
		const binary = { ...receipt, invoice: inMemory(PDF, 'application/pdf', 'invoice.pdf') };
		const { error, description } = await errorItem('[[fault:413]]', binary);
		expect(error).toBe('Cortecs API error 413: Request entity too large');
		expect(description).toBe(
			`The request carried ${PNG.length + PDF.length} bytes of files, which travel base64-encoded (a third larger). Send fewer or smaller files per item (one per request, scaled-down images, fewer PDF pages), or an https:// URL for an image.`,
		);
	});
});

describe('a file that cannot be read when its request leaves', () => {
	test('fails its item with the binary data storage’s words, unsent and not retried', async () => {
		const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'cortecs-binary-'));
		const config = Container.get(BinaryDataConfig);
		config.mode = 'filesystem';
		config.localStoragePath = storage;
		const service = Container.get(BinaryDataService);
		await service.init();
		try {
			const png = await service.store(
				{ type: 'execution', workflowId: 'wf-test', executionId: '2' },
				PNG,
				{ mimeType: 'image/png', fileName: 'gone.png', data: '' },
			);
			fs.rmSync(service.getPath(png.id));
			const reads = jest.spyOn(service, 'getAsBuffer');
			const [item] = await run(
				withRows([['user', 'Hi', 'data']]),
				[{ json: {}, binary: { data: png } }],
				{
					continueOnFail: true,
				},
			);
			expect(server.chatRequests()).toHaveLength(0);
			expect(item.error).toBeInstanceOf(NodeOperationError);
			expect(item.json.error).toBe(
				'Messages → message 1 (user) → Files: "data" (gone.png) could not be read',
			);
			expect(item.json.description).toBe("n8n's binary data storage answered: File not found");
			expect(reads).toHaveBeenCalledTimes(1);
			expect(item.pairedItem).toEqual({ item: 0 });
		} finally {
			jest.restoreAllMocks();
			fs.rmSync(storage, { recursive: true, force: true });
		}
	});
});
