'use strict';

/** Small helpers on request content shared by the chat and SSE builders. */

/** @param {string} s */
function countWords(s) {
	if (!s) return 0;
	const m = s.match(/\S+/g);
	return m ? m.length : 0;
}

/**
 * Text of a message content: strings as-is, OpenAI content-part arrays joined by newlines
 * (non-text parts such as images contribute nothing).
 * @param {unknown} content
 * @returns {string}
 */
function textOf(content) {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	const parts = [];
	for (const p of content) if (p && typeof p.text === 'string') parts.push(p.text);
	return parts.join('\n');
}

/**
 * @param {unknown} v
 * @returns {v is Record<string, any>}
 */
function isPlainObject(v) {
	return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * An object that fits a JSON schema: each of its properties filled by `valueFor` (the demo answers fill them
 * from the prompt's text or from the files sent).
 * @param {Record<string, any>} schema
 * @param {(key: string, prop: Record<string, any>) => unknown} valueFor
 */
function fillSchema(schema, valueFor) {
	/** @type {Record<string, unknown>} */
	const out = {};
	const props = schema && schema.properties;
	if (!isPlainObject(props)) return out;
	for (const [key, prop] of Object.entries(props)) out[key] = valueFor(key, prop);
	return out;
}

module.exports = { countWords, textOf, isPlainObject, fillSchema };
