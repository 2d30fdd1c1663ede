'use strict';

// The test server's reading of files (tools/cortecs-server/files.js), without HTTP: signatures, pixel sizes
// from real files (test/server/samples/, made with ImageMagick and cwebp), PDF pages and text, data URLs,
// and the checks a chat request's file parts meet. Over HTTP: cortecs-server.test.js and demo-files.test.js.

const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const {
	typeOf,
	imageSize,
	pdfPages,
	pdfText,
	decodeDataUrl,
	checkFileParts,
	modalityProblem,
	filesOf,
} = require('../../tools/cortecs-server/files');
const { MODELS } = require('../../tools/cortecs-server');
const { png, pdf } = require('../../tools/example-files');

/** The sample images (33 × 21 pixels each) and their types. */
const SAMPLES = [
	['33x21.png', 'image/png'],
	['33x21.jpg', 'image/jpeg'],
	['33x21-progressive.jpg', 'image/jpeg'],
	['33x21.gif', 'image/gif'],
	['33x21-lossy.webp', 'image/webp'],
	['33x21-lossless.webp', 'image/webp'],
	['33x21-alpha.webp', 'image/webp'],
];
const sample = (name) => fs.readFileSync(path.join(__dirname, 'samples', name));
const dataUrl = (mime, bytes) => `data:${mime};base64,${bytes.toString('base64')}`;
const model = (id) => MODELS.find((m) => m.id === id);

/** A PDF with the given objects (bodies), enough for the reader: it reads no cross-reference table. */
const rawPdf = (...objects) =>
	Buffer.from(
		'%PDF-1.4\n' + objects.map((o, i) => `${i + 1} 0 obj\n${o}\nendobj\n`).join('') + '%%EOF\n',
		'latin1',
	);
const contentStream = (content, dict = '') =>
	`<< /Length ${content.length}${dict} >>\nstream\n${content}\nendstream`;

const image = (url, extra = {}) => ({ type: 'image_url', image_url: { url, ...extra } });
const file = (fields) => ({ type: 'file', file: fields });
const user = (...parts) => ({
	role: 'user',
	content: [{ type: 'text', text: 'Read this.' }, ...parts],
});
const PDF_URL = dataUrl('application/pdf', pdf([['Hello']]));
const PNG_URL = dataUrl('image/png', png(3, 2));

describe('typeOf: the type the bytes are, by their signature', () => {
	test.each(SAMPLES)('%s is %s', (name, mime) => {
		expect(typeOf(sample(name))).toBe(mime);
	});

	test('a PDF, also after a little junk before its header; anything else is null', () => {
		expect(typeOf(pdf([['x']]))).toBe('application/pdf');
		expect(typeOf(Buffer.concat([Buffer.from('\r\n  '), pdf([['x']])]))).toBe('application/pdf');
		expect(typeOf(Buffer.from('Hello, world'))).toBeNull();
		expect(typeOf(Buffer.alloc(0))).toBeNull();
		expect(typeOf(sample('33x21.png').subarray(0, 7))).toBeNull();
	});
});

describe('imageSize: width and height from the header', () => {
	test.each(SAMPLES)('%s: 33 × 21', (name, mime) => {
		expect(imageSize(sample(name), mime)).toEqual({ width: 33, height: 21 });
	});

	test('a PNG of any size; a header cut short gives null', () => {
		expect(imageSize(png(1200, 1), 'image/png')).toEqual({ width: 1200, height: 1 });
		expect(imageSize(sample('33x21.png').subarray(0, 20), 'image/png')).toBeNull();
		expect(imageSize(sample('33x21.jpg').subarray(0, 12), 'image/jpeg')).toBeNull();
		expect(imageSize(sample('33x21.gif').subarray(0, 8), 'image/gif')).toBeNull();
		expect(imageSize(sample('33x21-lossy.webp').subarray(0, 20), 'image/webp')).toBeNull();
	});
});

describe('pdfPages and pdfText', () => {
	const latin1 = (b) => b.toString('latin1');

	test('pages are the page objects; their lines are the text, in order', () => {
		const doc = latin1(pdf([['Page one', 'second line'], ['Page two'], ['Three (3) \\ done']]));
		expect(pdfPages(doc)).toBe(3);
		expect(pdfText(doc)).toBe('Page one\nsecond line\nPage two\nThree (3) \\ done');
	});

	test('Tj, TJ (a wide gap is a space), \' and ", hex and escaped strings; a move down starts a line', () => {
		const content = [
			'BT /F1 12 Tf 72 720 Td (Invoice) Tj 10 0 Td (#42) Tj',
			'0 -14 Td [(Tot) 20 (al:) -300 (9.80)] TJ',
			"(Due soon) '",
			'2 0 (Caf\\351 \\(Lumen\\)) "',
			'<4869> Tj T* (end\\\nof line) Tj ET',
		].join('\n');
		const doc = latin1(rawPdf('<< /Type /Page >>', contentStream(content)));
		expect(pdfText(doc)).toBe('Invoice#42\nTotal: 9.80\nDue soon\nCafé (Lumen)Hi\nendof line');
		expect(pdfPages(doc)).toBe(1);
	});

	test('compressed and image streams are left out; pages in object streams count by the page tree', () => {
		const text = 'BT (hidden) Tj ET';
		const deflated = zlib.deflateSync(text).toString('latin1');
		const doc = latin1(
			rawPdf(
				'<< /Type /Pages /Count 4 /Kids [] >>',
				contentStream(deflated, ' /Filter /FlateDecode'),
				contentStream('BT (not text) Tj ET', ' /Subtype /Image'),
				contentStream('BT (shown) Tj ET'),
			),
		);
		expect(pdfText(doc)).toBe('shown');
		expect(pdfPages(doc)).toBe(4);
		expect(pdfPages('%PDF-1.4\n%%EOF')).toBe(0);
	});
});

describe('decodeDataUrl: base64 data URLs only', () => {
	test('the MIME type (lower case) and the bytes', () => {
		expect(decodeDataUrl('data:Image/PNG;base64,iVBORw==')).toEqual({
			mime: 'image/png',
			bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
		});
		expect(decodeDataUrl('data:image/png;name=a.png;base64,AAAA').mime).toBe('image/png');
	});

	test.each([
		['data:image/png,plain', 'a value that is not a base64 data URL'],
		['data:image/png;base64', 'a value that is not a base64 data URL'],
		['data:image/png;base64,', 'a value that is not valid base64'],
		['data:image/png;base64,abc', 'a value that is not valid base64'],
		['data:image/png;base64,ab c', 'a value that is not valid base64'],
		['data:image/png;base64,a-_b', 'a value that is not valid base64'],
		['data:image/png;base64,ab=c', 'a value that is not valid base64'],
		['data:image/png;base64,AA==AA==', 'a value that is not valid base64'],
	])('%s: %s', (url, problem) => {
		expect(decodeDataUrl(url)).toEqual({ problem });
	});
});

describe('checkFileParts: what the API takes', () => {
	test('images as data URLs of their own type or https:// URLs, PDFs as file parts with a name: no problem', () => {
		const messages = [
			{ role: 'system', content: 'Extract.' },
			user(
				image(dataUrl('image/jpeg', sample('33x21.jpg')), { detail: 'low' }),
				image(dataUrl('image/webp', sample('33x21-lossy.webp'))),
				image(dataUrl('image/gif', sample('33x21.gif'))),
				image('https://example.com/receipt.png', { detail: 'high' }),
				file({ filename: 'invoice.pdf', file_data: PDF_URL }),
			),
		];
		expect(checkFileParts(messages)).toBeNull();
	});

	const problem = (part, role = 'user') =>
		checkFileParts([{ role, content: [{ type: 'text', text: 'x' }, part] }]);
	const answer = (message, param, code) => ({
		status: 400,
		payload: { error: { message, type: 'invalid_request_error', param, code } },
	});
	const IMAGE_EXPECTED =
		"Expected an https:// URL or a base64-encoded data URL with an image MIME type (e.g. 'data:image/png;base64,iVBORw0KGgo=')";
	const PDF_EXPECTED =
		"Expected a base64-encoded data URL with an application/pdf MIME type (e.g. 'data:application/pdf;base64,JVBERi0xLjQ=')";

	test.each([
		[
			'bytes of another type than the data URL says',
			image(dataUrl('image/png', sample('33x21.jpg'))),
			answer(
				"Invalid image data in 'messages[0].content[1].image_url.url': the data URL says image/png, but the bytes are a JPEG file.",
				'messages[0].content[1].image_url.url',
				'invalid_image',
			),
		],
		[
			'bytes that are no image',
			image(dataUrl('image/webp', Buffer.from('not an image'))),
			answer(
				"Invalid image data in 'messages[0].content[1].image_url.url': the data URL says image/webp, but the bytes are not an image the API reads.",
				'messages[0].content[1].image_url.url',
				'invalid_image',
			),
		],
		[
			'a PDF sent as an image',
			image(PDF_URL),
			answer(
				`Invalid image URL: 'messages[0].content[1].image_url.url'. ${IMAGE_EXPECTED}, but got unsupported MIME type 'application/pdf'. Supported: image/png, image/jpeg, image/webp, image/gif.`,
				'messages[0].content[1].image_url.url',
				'invalid_image_format',
			),
		],
		[
			'a data URL that is not base64',
			image('data:image/png,%89PNG'),
			answer(
				`Invalid image URL: 'messages[0].content[1].image_url.url'. ${IMAGE_EXPECTED}, but got a value that is not a base64 data URL.`,
				'messages[0].content[1].image_url.url',
				'invalid_image_url',
			),
		],
		[
			'broken base64',
			image('data:image/png;base64,iVBORw0KGgo'),
			answer(
				`Invalid image URL: 'messages[0].content[1].image_url.url'. ${IMAGE_EXPECTED}, but got a value that is not valid base64.`,
				'messages[0].content[1].image_url.url',
				'invalid_image_url',
			),
		],
		[
			'a URL of another scheme',
			image('file:///etc/passwd'),
			answer(
				`Invalid image URL: 'messages[0].content[1].image_url.url'. ${IMAGE_EXPECTED}, but got an URL of another kind.`,
				'messages[0].content[1].image_url.url',
				'invalid_image_url',
			),
		],
		[
			'image_url as a string',
			{ type: 'image_url', image_url: PNG_URL },
			answer(
				"Invalid type for 'messages[0].content[1].image_url': expected an object with a string 'url'.",
				'messages[0].content[1].image_url',
				'invalid_type',
			),
		],
		[
			'an unknown detail',
			image(PNG_URL, { detail: 'medium' }),
			answer(
				"Invalid value for 'messages[0].content[1].image_url.detail': expected one of 'auto', 'low', 'high'.",
				'messages[0].content[1].image_url.detail',
				'invalid_value',
			),
		],
		[
			'a file part without a file name',
			file({ file_data: PDF_URL }),
			answer(
				"Missing required parameter: 'messages[0].content[1].file.filename'.",
				'messages[0].content[1].file.filename',
				'missing_required_parameter',
			),
		],
		[
			'a file part without data',
			file({ filename: 'a.pdf' }),
			answer(
				"Missing required parameter: 'messages[0].content[1].file.file_data'.",
				'messages[0].content[1].file.file_data',
				'missing_required_parameter',
			),
		],
		[
			'an uploaded file id',
			file({ file_id: 'file-abc' }),
			answer(
				"Invalid value for 'messages[0].content[1].file.file_id': uploaded files are not supported; send the file's bytes as 'file_data' (a base64 data URL).",
				'messages[0].content[1].file.file_id',
				'invalid_value',
			),
		],
		[
			'a text file as a file part',
			file({ filename: 'notes.txt', file_data: dataUrl('text/plain', Buffer.from('hi')) }),
			answer(
				`Invalid file data: 'messages[0].content[1].file.file_data'. ${PDF_EXPECTED}, but got unsupported MIME type 'text/plain'.`,
				'messages[0].content[1].file.file_data',
				'invalid_value',
			),
		],
		[
			'raw base64 instead of a data URL',
			file({ filename: 'a.pdf', file_data: pdf([['x']]).toString('base64') }),
			answer(
				`Invalid file data: 'messages[0].content[1].file.file_data'. ${PDF_EXPECTED}, but got a value that is not a data URL.`,
				'messages[0].content[1].file.file_data',
				'invalid_value',
			),
		],
		[
			'bytes that are no PDF',
			file({ filename: 'scan.pdf', file_data: PNG_URL.replace('image/png', 'application/pdf') }),
			answer(
				"Invalid file data in 'messages[0].content[1].file.file_data': the data URL says application/pdf, but 'scan.pdf' is not a PDF.",
				'messages[0].content[1].file.file_data',
				'invalid_file',
			),
		],
	])('%s: 400', (_, part, expected) => {
		expect(problem(part)).toEqual(expected);
	});

	test('files only in user messages', () => {
		expect(problem(image(PNG_URL), 'system')).toEqual(
			answer(
				"Invalid 'messages[0].content[1]': image_url content parts are only supported in messages with role 'user', but this message has role 'system'.",
				'messages[0].content[1]',
				'invalid_value',
			),
		);
		expect(problem(file({ filename: 'a.pdf', file_data: PDF_URL }), 'assistant')).toEqual(
			answer(
				"Invalid 'messages[0].content[1]': file content parts are only supported in messages with role 'user', but this message has role 'assistant'.",
				'messages[0].content[1]',
				'invalid_value',
			),
		);
	});

	test('text and other parts are not its business', () => {
		expect(
			checkFileParts([
				{ role: 'user', content: 'plain' },
				{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'input_audio' }, null] },
			]),
		).toBeNull();
	});
});

describe("modalityProblem: [likely] a file the model's input_modalities do not list", () => {
	const messages = [user(image(PNG_URL), file({ filename: 'a.pdf', file_data: PDF_URL }))];

	test('a model that reads images and documents takes both', () => {
		expect(model('mistral-small-2503').input_modalities).toEqual(['text', 'image', 'document']);
		expect(modalityProblem(messages, model('mistral-small-2503'))).toBeNull();
		expect(modalityProblem(messages, model('mistral-ocr-2505'))).toBeNull();
	});

	test('an image to a text-only model, a PDF to an image-only model: 400 naming the modality', () => {
		expect(modalityProblem(messages, model('mistral-large-2411'))).toEqual({
			status: 400,
			payload: {
				error: {
					message:
						"Model 'mistral-large-2411' does not support image input (its input modalities: text). Models tagged 'Image' read it.",
					type: 'invalid_request_error',
					param: 'messages[0].content[1].type',
					code: 'unsupported_input_modality',
				},
			},
		});
		expect(modalityProblem(messages, model('pixtral-large-2411')).payload.error).toEqual({
			message:
				"Model 'pixtral-large-2411' does not support document input (its input modalities: text, image). Models tagged 'Document' read it.",
			type: 'invalid_request_error',
			param: 'messages[0].content[2].type',
			code: 'unsupported_input_modality',
		});
	});
});

describe('filesOf: what each file shows of itself', () => {
	test('images by type and pixel size, URLs as they are, PDFs by pages and text', () => {
		expect(
			filesOf([
				user(
					image(dataUrl('image/png', sample('33x21.png'))),
					image('https://example.com/r.jpg'),
					file({
						filename: 'invoice.pdf',
						file_data: dataUrl('application/pdf', pdf([['A'], ['B']])),
					}),
					image(dataUrl('image/webp', sample('33x21-lossless.webp'))),
				),
			]),
		).toEqual([
			{ name: 'image 1', facts: 'PNG image, 33 × 21 pixels', text: '' },
			{ name: 'image 2', facts: 'an image at https://example.com/r.jpg', text: '' },
			{ name: 'invoice.pdf', facts: 'PDF, 2 pages', text: 'A\nB' },
			{ name: 'image 3', facts: 'WebP image, 33 × 21 pixels', text: '' },
		]);
	});
});
