'use strict';

/**
 * The 'demo' answers (`npm start`) to a message that carries files: only what the bundled server can tell
 * from the files themselves (files.js), never more. An image's pixels are not read; a PDF's text is. A
 * JSON schema gets each field from a `Label: value` line of the files' text (an invoice's `Total:
 * 1,234.50`), the files' facts for a field about the file itself (its type, size or pages), and null (or
 * the type's empty value) where the files say nothing; any other answer lists each file's facts and text.
 */

const { fillSchema, isPlainObject } = require('./text');

/** @typedef {ReturnType<typeof import('./files').filesOf>[number]} FileFacts */

const ABOUT_THE_FILE = /\b(file|format|pages?|pixels?|size|dimensions?)\b/;

/**
 * Lower-case words: `invoice_number`, `invoiceNumber` and `Invoice number` are all `invoice number`.
 * @param {string} s
 */
const wordsOf = (s) =>
	s
		.replace(/([a-z])([A-Z])/g, '$1 $2')
		.toLowerCase()
		.split(/[^a-z0-9]+/)
		.filter(Boolean)
		.join(' ');

/**
 * The value of the first `Label: value` line whose label is the field's name, e.g. `Invoice number:
 * INV-2026-0042` for `invoice_number`.
 * @param {string} key
 * @param {string} text
 */
function labelled(key, text) {
	const name = wordsOf(key);
	for (const line of text.split('\n')) {
		const m = /^([^:]{1,60}):\s*(\S.*)$/.exec(line.trim());
		if (m && wordsOf(m[1]) === name) return m[2].trim();
	}
	return null;
}

/**
 * @param {Record<string, any>} prop
 * @returns {{type: string|undefined, nullable: boolean}}
 */
function typeOf(prop) {
	const type = prop && prop.type;
	if (!Array.isArray(type)) return { type, nullable: false };
	return { type: type.find((t) => t !== 'null'), nullable: type.includes('null') };
}

/**
 * A value for one schema property from the files.
 * @param {string} key
 * @param {Record<string, any>} prop
 * @param {FileFacts[]} files
 */
function valueFor(key, prop, files) {
	const { type, nullable } = typeOf(prop);
	if (type === 'object' && isPlainObject(prop.properties)) return objectFor(prop, files);
	const found = labelled(key, files.map((f) => f.text).join('\n'));
	if (found !== null) {
		if (type === 'number' || type === 'integer') {
			const number = /-?\d[\d,]*(?:\.\d+)?/.exec(found);
			if (number) return Number(number[0].replace(/,/g, ''));
		} else if (type === 'boolean') return /^(yes|true)\b/i.test(found);
		else if (type === 'string') return found;
	}
	if (type === 'string' && ABOUT_THE_FILE.test(`${key} ${prop.description || ''}`.toLowerCase()))
		return files.map((f) => f.facts).join('; ');
	if (nullable) return null;
	switch (type) {
		case 'string':
			return '';
		case 'number':
		case 'integer':
			return 0;
		case 'boolean':
			return false;
		case 'array':
			return [];
		case 'object':
			return {};
		default:
			return null;
	}
}

/**
 * An object that fits a JSON schema, every property filled from the files.
 * @param {Record<string, any>} schema
 * @param {FileFacts[]} files
 */
function objectFor(schema, files) {
	return fillSchema(schema, (key, prop) => valueFor(key, prop, files));
}

/**
 * A text answer: each file's name and facts, and a PDF's text under them.
 * @param {FileFacts[]} files
 */
function answerText(files) {
	return files.map((f) => `${f.name}: ${f.facts}.` + (f.text ? `\n${f.text}` : '')).join('\n\n');
}

module.exports = { objectFor, answerText };
