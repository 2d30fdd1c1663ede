'use strict';

// The files the examples read (examples/files/) are what tools/example-files.js makes, and what they claim
// to be: a PNG receipt and a one-page invoice PDF whose text the test server reads back.

const fs = require('node:fs');
const path = require('node:path');
const {
	FILES_DIR,
	RECEIPT,
	INVOICE,
	INVOICE_LINES,
	exampleFiles,
} = require('../../tools/example-files');
const { typeOf, imageSize, pdfPages, pdfText } = require('../../tools/cortecs-server/files');

describe('examples/files/', () => {
	test('holds exactly what tools/example-files.js makes (run it after changing the receipt or invoice)', () => {
		for (const [name, bytes] of Object.entries(exampleFiles()))
			expect(fs.readFileSync(path.join(FILES_DIR, name)).equals(bytes)).toBe(true);
	});

	test('the receipt is a PNG of 320 × 292 pixels', () => {
		const receipt = exampleFiles()[RECEIPT];
		expect(typeOf(receipt)).toBe('image/png');
		expect(imageSize(receipt, 'image/png')).toEqual({ width: 320, height: 292 });
	});

	test('the invoice is a one-page PDF whose text is its lines', () => {
		const invoice = exampleFiles()[INVOICE].toString('latin1');
		expect(typeOf(Buffer.from(invoice, 'latin1'))).toBe('application/pdf');
		expect(pdfPages(invoice)).toBe(1);
		expect(pdfText(invoice)).toBe(INVOICE_LINES.filter(Boolean).join('\n'));
		expect(pdfText(invoice)).toContain('Invoice number: INV-2026-0042');
	});
});
