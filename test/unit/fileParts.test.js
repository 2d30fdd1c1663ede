/** fileParts.ts: how a file of each MIME type is sent, the Files field's entries, sizes and content parts. */
const {
	base64Bytes,
	baseMimeType,
	contentPart,
	fileEntries,
	imagePart,
	kindOf,
	sizeText,
} = require('../../dist/nodes/Cortecs/shared/fileParts');

describe('kindOf', () => {
	test.each([
		['image/png', 'image'],
		['image/jpeg', 'image'],
		['image/jpg', 'image'],
		['image/webp', 'image'],
		['image/gif', 'image'],
		['Image/PNG; charset=binary', 'image'],
		['application/pdf', 'pdf'],
		['text/plain', 'text'],
		['text/csv', 'text'],
		['text/markdown', 'text'],
		['text/html; charset=utf-8', 'text'],
		['application/json', 'text'],
		['application/xml', 'text'],
		['application/csv', 'text'],
		['application/x-yaml', 'text'],
		['application/ld+json', 'text'],
		['application/atom+xml', 'text'],
		['image/svg+xml', undefined],
		['image/tiff', undefined],
		['application/zip', undefined],
		['application/octet-stream', undefined],
		['application/vnd.openxmlformats-officedocument.wordprocessingml.document', undefined],
		['', undefined],
		[undefined, undefined],
	])('%s is sent as %s', (mimeType, kind) => {
		expect(kindOf(mimeType)).toBe(kind);
	});
});

test('baseMimeType drops parameters, lowers the case and spells image/jpg as image/jpeg', () => {
	expect(baseMimeType('Text/Plain; charset=UTF-8')).toBe('text/plain');
	expect(baseMimeType('image/jpg')).toBe('image/jpeg');
	expect(baseMimeType(undefined)).toBe('');
});

describe('fileEntries', () => {
	test('comma-separated, trimmed, blanks dropped, in order', () => {
		expect(fileEntries(' data ,, invoice,')).toEqual([
			{ property: 'data' },
			{ property: 'invoice' },
		]);
	});

	test('entries with a scheme are URLs, whatever the scheme; the rest are property names', () => {
		expect(
			fileEntries('https://a.example/x.png, http://b.example, ftp://c.example/y, my.file'),
		).toEqual([
			{ url: 'https://a.example/x.png' },
			{ url: 'http://b.example' },
			{ url: 'ftp://c.example/y' },
			{ property: 'my.file' },
		]);
	});

	test('nothing but blanks: no entries', () => {
		expect(fileEntries(' , ')).toEqual([]);
	});
});

test.each([
	['', 0],
	['QQ==', 1],
	['QUI=', 2],
	['QUJD', 3],
	['QUJDRA==', 4],
	[Buffer.alloc(1000, 7).toString('base64'), 1000],
])('base64Bytes(%j) is %i, as decoding gives', (base64, bytes) => {
	expect(base64Bytes(base64)).toBe(bytes);
	expect(Buffer.from(base64, 'base64')).toHaveLength(bytes);
});

test.each([
	[0, '0 bytes'],
	[999, '999 bytes'],
	[1000, '1.0 kB'],
	[12_345, '12.3 kB'],
	[999_999, '1000.0 kB'],
	[1_000_000, '1.0 MB'],
	[20_000_001, '20.0 MB'],
])('sizeText(%i) is %s', (bytes, text) => {
	expect(sizeText(bytes)).toBe(text);
});

describe('contentPart', () => {
	const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

	test('an image: an image_url part with a data URL of its plain type, detail only when given', () => {
		const file = { kind: 'image', mimeType: 'image/jpg', fileName: 'a.jpg' };
		expect(contentPart(file, bytes)).toEqual({
			type: 'image_url',
			image_url: { url: 'data:image/jpeg;base64,iVBORw==' },
		});
		expect(contentPart(file, bytes, 'high')).toEqual({
			type: 'image_url',
			image_url: { url: 'data:image/jpeg;base64,iVBORw==', detail: 'high' },
		});
	});

	test('a PDF: a file part with its name and a PDF data URL; detail does not apply', () => {
		const file = { kind: 'pdf', mimeType: 'application/pdf', fileName: 'in.pdf' };
		expect(contentPart(file, Buffer.from('%PDF'), 'low')).toEqual({
			type: 'file',
			file: { filename: 'in.pdf', file_data: 'data:application/pdf;base64,JVBERg==' },
		});
	});

	test('a text file: its UTF-8 text without a byte order mark, headed by its name', () => {
		const file = { kind: 'text', mimeType: 'text/plain', fileName: 'n.txt' };
		expect(contentPart(file, Buffer.from('\uFEFFGrüße\n', 'utf8'))).toEqual({
			type: 'text',
			text: 'File n.txt:\nGrüße\n',
		});
	});
});

test('imagePart: the URL as it is, with detail only when given', () => {
	expect(imagePart('https://a.example/x.png')).toEqual({
		type: 'image_url',
		image_url: { url: 'https://a.example/x.png' },
	});
	expect(imagePart('https://a.example/x.png', 'auto')).toEqual({
		type: 'image_url',
		image_url: { url: 'https://a.example/x.png', detail: 'auto' },
	});
});
