'use strict';

/**
 * The files the examples read (examples/files/): a PNG receipt, drawn in a 5×7 pixel font, and a one-page
 * invoice PDF whose text is uncompressed, so that anyone (and the bundled server's demo answers) can read
 * it. Also the writers they are made with (`png`, `pdf`), which tests use for files of any size. No
 * dependencies: the PNG is deflated by zlib, the PDF written by hand.
 *
 *   node tools/example-files.js    writes examples/files/cortecs-receipt.png and cortecs-invoice.pdf
 */

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const FILES_DIR = path.join(__dirname, '..', 'examples', 'files');
const RECEIPT = 'cortecs-receipt.png';
const INVOICE = 'cortecs-invoice.pdf';

const RECEIPT_LINES = [
	'       CAFE LUMEN',
	'   KASTANIENALLEE 12',
	'     10435 BERLIN',
	'',
	'DATE: 2026-11-28  09:41',
	'RECEIPT #0815',
	'',
	'2 X CAPPUCCINO      7.00',
	'1 X CROISSANT       2.80',
	'1 X ORANGE JUICE    3.90',
	'------------------------',
	'TOTAL EUR          13.70',
	'INCL. VAT 19%       2.19',
];

/** What the invoice says, by the field names of the example's JSON schema. */
const INVOICE_FIELDS = Object.freeze({
	vendor: 'Nordlicht Software GmbH',
	invoice_number: 'INV-2026-0042',
	date: '2026-11-28',
	total: 1234.5,
	currency: 'EUR',
});

const INVOICE_LINES = [
	'INVOICE',
	'',
	`Vendor: ${INVOICE_FIELDS.vendor}`,
	'Address: Torstrasse 140, 10119 Berlin',
	`Invoice number: ${INVOICE_FIELDS.invoice_number}`,
	`Date: ${INVOICE_FIELDS.date}`,
	'Customer: Berlin Bikes GmbH',
	'',
	'Workflow setup, 1 day ............ 950.00',
	'Support, December .................. 284.50',
	'',
	`Total: ${INVOICE_FIELDS.total.toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
	`Currency: ${INVOICE_FIELDS.currency}`,
	'Due: 2026-12-28',
];

/** A 5×7 font: each glyph's seven rows of five pixels ('#' is ink); a space is blank. */
const FONT = Object.fromEntries(
	Object.entries({
		A: '.###. #...# #...# ##### #...# #...# #...#',
		B: '####. #...# #...# ####. #...# #...# ####.',
		C: '.###. #...# #.... #.... #.... #...# .###.',
		D: '####. #...# #...# #...# #...# #...# ####.',
		E: '##### #.... #.... ####. #.... #.... #####',
		F: '##### #.... #.... ####. #.... #.... #....',
		G: '.###. #...# #.... #.### #...# #...# .####',
		H: '#...# #...# #...# ##### #...# #...# #...#',
		I: '.###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.',
		J: '..### ...#. ...#. ...#. ...#. #..#. .##..',
		K: '#...# #..#. #.#.. ##... #.#.. #..#. #...#',
		L: '#.... #.... #.... #.... #.... #.... #####',
		M: '#...# ##.## #.#.# #.#.# #...# #...# #...#',
		N: '#...# #...# ##..# #.#.# #..## #...# #...#',
		O: '.###. #...# #...# #...# #...# #...# .###.',
		P: '####. #...# #...# ####. #.... #.... #....',
		Q: '.###. #...# #...# #...# #.#.# #..#. .##.#',
		R: '####. #...# #...# ####. #.#.. #..#. #...#',
		S: '.#### #.... #.... .###. ....# ....# ####.',
		T: '##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..',
		U: '#...# #...# #...# #...# #...# #...# .###.',
		V: '#...# #...# #...# #...# #...# .#.#. ..#..',
		W: '#...# #...# #...# #.#.# #.#.# #.#.# .#.#.',
		X: '#...# #...# .#.#. ..#.. .#.#. #...# #...#',
		Y: '#...# #...# #...# .#.#. ..#.. ..#.. ..#..',
		Z: '##### ....# ...#. ..#.. .#... #.... #####',
		0: '.###. #...# #..## #.#.# ##..# #...# .###.',
		1: '..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.',
		2: '.###. #...# ....# ...#. ..#.. .#... #####',
		3: '##### ...#. ..#.. ...#. ....# #...# .###.',
		4: '...#. ..##. .#.#. #..#. ##### ...#. ...#.',
		5: '##### #.... ####. ....# ....# #...# .###.',
		6: '..##. .#... #.... ####. #...# #...# .###.',
		7: '##### ....# ...#. ..#.. .#... .#... .#...',
		8: '.###. #...# #...# .###. #...# #...# .###.',
		9: '.###. #...# #...# .#### ....# ...#. .##..',
		'.': '..... ..... ..... ..... ..... .##.. .##..',
		',': '..... ..... ..... ..... .##.. ..#.. .#...',
		':': '..... .##.. .##.. ..... .##.. .##.. .....',
		'-': '..... ..... ..... ##### ..... ..... .....',
		'#': '.#.#. .#.#. ##### .#.#. ##### .#.#. .#.#.',
		'%': '##... ##..# ...#. ..#.. .#... #..## ...##',
	}).map(([c, rows]) => [c, rows.replace(/ /g, '')]),
);

/** @type {Uint32Array} */
const CRC_TABLE = new Uint32Array(256).map((_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

/** @param {Buffer} bytes */
function crc32(bytes) {
	let c = 0xffffffff;
	for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

/**
 * @param {string} type
 * @param {Buffer} data
 */
function pngChunk(type, data) {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([length, body, crc]);
}

/**
 * A greyscale PNG, 8 bits per pixel.
 * @param {number} width
 * @param {number} height
 * @param {(x: number, y: number) => number} [grey] each pixel's grey level, 0-255 (default white)
 */
function png(width, height, grey = () => 255) {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8; // bit depth
	header[9] = 0; // greyscale
	const rows = Buffer.alloc((width + 1) * height); // each row: filter type 0, then its pixels
	for (let y = 0; y < height; y++)
		for (let x = 0; x < width; x++) rows[y * (width + 1) + 1 + x] = grey(x, y);
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', header),
		pngChunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

/**
 * Lines of text in the 5×7 font, each pixel `scale`² on paper, `margin` pixels around.
 * @param {string[]} lines
 */
function textPng(lines, { scale = 2, margin = 16 } = {}) {
	const cellW = 6 * scale; // 5 pixels and a gap
	const cellH = 10 * scale; // 7 pixels and a gap of 3
	const columns = Math.max(...lines.map((l) => l.length));
	const width = columns * cellW + 2 * margin;
	const height = lines.length * cellH + 2 * margin;
	return png(width, height, (x, y) => {
		const col = Math.floor((x - margin) / cellW);
		const row = Math.floor((y - margin) / cellH);
		const glyph = FONT[(lines[row] || '')[col]];
		if (x < margin || y < margin || !glyph) return 250; // margins, spaces
		const gx = Math.floor(((x - margin) % cellW) / scale);
		const gy = Math.floor(((y - margin) % cellH) / scale);
		return gx < 5 && gy < 7 && glyph[gy * 5 + gx] === '#' ? 30 : 250;
	});
}

/** @param {string} s */
const pdfString = (s) => `(${s.replace(/[\\()]/g, (c) => `\\${c}`)})`;

/**
 * A PDF of A4 pages, each page's lines in Helvetica, its content streams uncompressed.
 * @param {string[][]} pages the lines of each page
 */
function pdf(pages) {
	const objects = [];
	const fontId = 3 + 2 * pages.length;
	const kids = pages.map((_, p) => `${3 + 2 * p} 0 R`).join(' ');
	objects.push('<< /Type /Catalog /Pages 2 0 R >>');
	objects.push(`<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`);
	pages.forEach((lines, p) => {
		const content = [
			'BT',
			'/F1 12 Tf',
			'16 TL',
			'56 780 Td',
			...lines.map((line, i) => `${i ? 'T* ' : ''}${pdfString(line)} Tj`),
			'ET',
		].join('\n');
		objects.push(
			`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 ${fontId} 0 R >> >> /Contents ${4 + 2 * p} 0 R >>`,
		);
		objects.push(
			`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
		);
	});
	objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
	let out = '%PDF-1.4\n';
	const offsets = objects.map((body, i) => {
		const at = Buffer.byteLength(out, 'latin1');
		out += `${i + 1} 0 obj\n${body}\nendobj\n`;
		return at;
	});
	const xref = Buffer.byteLength(out, 'latin1');
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	out += offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n \n`).join('');
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

/** The example files by name. */
function exampleFiles() {
	return {
		[RECEIPT]: textPng(RECEIPT_LINES),
		[INVOICE]: pdf([INVOICE_LINES]),
	};
}

if (require.main === module) {
	fs.mkdirSync(FILES_DIR, { recursive: true });
	for (const [name, bytes] of Object.entries(exampleFiles())) {
		fs.writeFileSync(path.join(FILES_DIR, name), bytes);
		console.log(
			`${path.relative(process.cwd(), path.join(FILES_DIR, name))}: ${bytes.length} bytes`,
		);
	}
}

module.exports = {
	FILES_DIR,
	RECEIPT,
	INVOICE,
	RECEIPT_LINES,
	INVOICE_FIELDS,
	INVOICE_LINES,
	png,
	pdf,
	exampleFiles,
};
