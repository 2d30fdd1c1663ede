'use strict';

/**
 * The 'demo' answer style (`npm start`): deterministic answers that still show what each example is
 * for, where the default style echoes the request so tests can assert it exactly. Summaries are the
 * first clause of each paragraph, extraction fills each schema field from the text, a tool call passes the text the
 * prompt quotes, and the answer after a tool result is built from that result.
 */

const { textOf, isPlainObject } = require('./text');

const GREETING = /^(hi|hello|hey|dear|good (morning|afternoon|evening))\b/i;
// "this is Anna from Berlin Bikes", "Marc here", "my name is Anna", "I am Anna from ..."
const INTRODUCTION =
	/\b(?:this is|my name is|i am|i'm)\s+([A-Z][\w'-]*)(?:\s+from\s+([A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*)*))?|\b([A-Z][\w'-]*) here\b/;
const BLOCKING =
	/\b(urgent|asap|immediately|down|outage|blocked|cannot|can't|broken|fails?|failing|error|stopped)\b/i;
const CLAUSE_BREAK = /,\s+|;\s+|\s+(?:but|and)\s+/;

/** @param {string} text */
function sentencesOf(text) {
	return (text.match(/[^.!?]+[.!?]*/g) || []).map((s) => s.trim()).filter(Boolean);
}

/** @param {string} s */
const endWithPeriod = (s) => (/[.!?]$/.test(s) ? s : `${s}.`);

/** @param {string} sentence */
const isGreeting = (sentence) =>
	GREETING.test(sentence) || (INTRODUCTION.test(sentence) && sentence.split(/\s+/).length <= 10);

/**
 * The text a prompt is about: the longest double-quoted passage of at least three words (prompts often
 * quote their material), else the whole text.
 * @param {string} text
 */
function materialOf(text) {
	const quoted = (text.match(/"([^"]+)"|“([^”]+)”/g) || [])
		.map((q) => q.slice(1, -1).trim())
		.filter((q) => q.split(/\s+/).length >= 3)
		.sort((a, b) => b.length - a.length);
	return quoted[0] || text.trim();
}

/** At most this many points in a summary (a map-reduce prompt typically asks for five). */
const MAX_POINTS = 5;

/**
 * A paragraph's gist: the first clause of its first sentence that is neither a greeting nor a heading
 * ("January report."), at most 14 words.
 * @param {string} paragraph
 */
function gistOf(paragraph) {
	const sentences = sentencesOf(paragraph);
	const isHeading = (s) => s.split(/\s+/).length < 4;
	const first =
		sentences.find((s) => !isGreeting(s) && !isHeading(s)) ||
		sentences.find((s) => !isGreeting(s)) ||
		sentences[0] ||
		paragraph;
	const sentence = first.replace(/[.!?]+$/, '');
	let words = sentence.split(CLAUSE_BREAK)[0].split(/\s+/);
	if (words.length < 4) words = sentence.split(/\s+/);
	return words.slice(0, 14);
}

/**
 * A summary shorter than the text: the gist of each paragraph (up to MAX_POINTS), as bullet points when
 * the prompt asks for them.
 * @param {string} text
 * @param {{ bullets?: boolean }} [how]
 */
function summaryOf(text, { bullets = false } = {}) {
	const material = materialOf(text);
	const paragraphs = material
		.split(/\n\s*\n/)
		.map((p) => p.trim())
		.filter(Boolean)
		.slice(0, MAX_POINTS);
	const points = (paragraphs.length ? paragraphs : [material]).map(gistOf);
	const render = () =>
		points
			.map((words) => endWithPeriod(words.join(' ')))
			.map((point) => (bullets ? `- ${point}` : point))
			.join(bullets ? '\n' : ' ');
	let summary = render();
	// Drop words from the end until it is shorter than what it summarises.
	while (summary.length >= material.length && points.some((words) => words.length > 1)) {
		const longest = points.reduce((a, b) => (b.length > a.length ? b : a));
		longest.pop();
		summary = render();
	}
	return summary;
}

/**
 * Who wrote the text, from how it introduces itself ("this is Anna from Berlin Bikes" → "Anna, Berlin
 * Bikes"), else ''.
 * @param {string} text
 */
function writerOf(text) {
	const m = INTRODUCTION.exec(text);
	if (!m) return '';
	return m[3] || (m[2] ? `${m[1]}, ${m[2]}` : m[1]);
}

/**
 * The request of a message in one sentence: its first sentence that is not a greeting.
 * @param {string} text
 */
function requestOf(text) {
	const sentences = sentencesOf(text);
	return sentences.find((s) => !isGreeting(s)) || sentences[0] || text;
}

/**
 * A value for one schema property, chosen by its type and by what its name and description ask for.
 * @param {string} key
 * @param {Record<string, any>} prop
 * @param {string} text
 */
function valueFor(key, prop, text) {
	let type = prop && prop.type;
	if (Array.isArray(type)) type = type.find((t) => t !== 'null');
	const about = `${key} ${(prop && prop.description) || ''}`.toLowerCase();
	switch (type) {
		case 'string':
			if (Array.isArray(prop.enum) && prop.enum.length) return prop.enum[0];
			if (/\b(customer|name|who|author|sender|writer|from)\b/.test(about)) return writerOf(text);
			if (/\b(summary|summari[sz]e|request|subject|sentence)\b/.test(about)) return requestOf(text);
			return sentencesOf(text)[0] || text;
		case 'boolean':
			return BLOCKING.test(text);
		case 'number':
		case 'integer':
			return (text.match(/\S+/g) || []).length;
		case 'array':
			return [];
		case 'object':
			return isPlainObject(prop.properties) ? objectFor(prop, text) : {};
		default:
			return null;
	}
}

/**
 * An object that fits a JSON schema, every property filled from `text`.
 * @param {Record<string, any>} schema
 * @param {string} text
 */
function objectFor(schema, text) {
	/** @type {Record<string, unknown>} */
	const out = {};
	const props = schema && schema.properties;
	if (!isPlainObject(props)) return out;
	for (const [key, prop] of Object.entries(props)) out[key] = valueFor(key, prop, text);
	return out;
}

/**
 * The arguments of a call to `tool`: each required string parameter (else the first one) gets the text
 * the prompt quotes, or the whole prompt.
 * @param {Record<string, any>} tool an entry of the request's `tools`
 * @param {string} last the last user message
 */
function toolArguments(tool, last) {
	const params = (tool.function && tool.function.parameters) || {};
	const props = isPlainObject(params.properties) ? params.properties : {};
	const names =
		Array.isArray(params.required) && params.required.length
			? params.required
			: Object.keys(props).slice(0, 1);
	/** @type {Record<string, unknown>} */
	const args = {};
	for (const name of names.length ? names : ['input']) args[name] = materialOf(last);
	return args;
}

/**
 * The text of a tool result as the model reads it: n8n sends a node's output as JSON, so its `content`
 * (or `output`/`text`) when there is one, else the result as sent.
 * @param {string} result
 */
function toolResultText(result) {
	try {
		const parsed = JSON.parse(result);
		const first = Array.isArray(parsed) ? parsed[0] : parsed;
		const value = first && (first.content ?? first.output ?? first.text ?? first.response);
		if (typeof value === 'string') return value;
	} catch {
		/* plain text */
	}
	return result;
}

/**
 * The text answer in the demo style.
 * @param {Record<string, any>} body the chat request
 * @param {string} last the last user message
 */
function answerText(body, last) {
	const messages = /** @type {any[]} */ (body.messages);
	const lastMessage = messages[messages.length - 1];
	if (lastMessage && lastMessage.role === 'tool') {
		const call = messages
			.flatMap((m) => (m.role === 'assistant' && Array.isArray(m.tool_calls) ? m.tool_calls : []))
			.find((c) => c.id === lastMessage.tool_call_id);
		const name = call && call.function ? call.function.name.replace(/_/g, ' ') : 'the tool';
		return `According to ${name}: "${toolResultText(textOf(lastMessage.content))}"`;
	}
	const system = messages
		.filter((m) => m.role === 'system')
		.map((m) => textOf(m.content))
		.join('\n');
	const instructions = `${system}\n${last}`;
	if (/\bsummar|\bdigest\b|\bconcise\b|\btl;?dr\b|\bbullet points?\b/i.test(instructions))
		return summaryOf(last, { bullets: /\bbullet/i.test(instructions) });
	if (/\btranslat/i.test(system)) return `[translated into English] ${materialOf(last)}`;
	return `Echo: ${last}`;
}

module.exports = {
	answerText,
	objectFor,
	toolArguments,
	summaryOf,
	writerOf,
	requestOf,
	materialOf,
};
