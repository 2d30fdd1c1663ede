'use strict';

/**
 * The 'demo' answer style (`npm start`): deterministic answers that still show what each example is
 * for, where the default style echoes the request so tests can assert it exactly. Answers are built from
 * the request's own text, never made up: a summary keeps the facts of every paragraph, a question about
 * quoted notes is answered with the notes' sentences that match it, a request to refine the earlier answer
 * rewrites that answer (plain-words.js), a translation comes from a phrasebook (phrasebook.js), extraction
 * fills each schema field from the text, a tool call passes the text the prompt quotes, and the answer after
 * a tool result is built from that result.
 */

const { fillSchema, textOf, isPlainObject } = require('./text');
const { refine } = require('./plain-words');
const { translate } = require('./phrasebook');

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

/** @param {string} sentence */
const isHeading = (sentence) => sentence.split(/\s+/).length < 4;

/**
 * A sentence's first clause, at most 14 words (the whole sentence when that clause is under 4 words).
 * @param {string} sentence
 */
function clauseOf(sentence) {
	const text = sentence.replace(/[.!?]+$/, '');
	let words = text.split(CLAUSE_BREAK)[0].split(/\s+/);
	if (words.length < 4) words = text.split(/\s+/);
	return words.slice(0, 14);
}

/**
 * A paragraph's gist: the first clause of its first sentence that is neither a greeting nor a heading
 * ("January report.").
 * @param {string} paragraph
 */
function gistOf(paragraph) {
	const sentences = sentencesOf(paragraph);
	const first =
		sentences.find((s) => !isGreeting(s) && !isHeading(s)) ||
		sentences.find((s) => !isGreeting(s)) ||
		sentences[0] ||
		paragraph;
	return clauseOf(first);
}

/**
 * What a summary keeps of one paragraph: its label (a heading such as "January report", or the "Label:"
 * a line of an earlier summary starts with) and its facts (the first clause of every sentence that carries
 * a figure, else the paragraph's gist), each fact as its words.
 * @param {string} paragraph
 * @returns {{label: string, facts: string[][]}}
 */
function pointOf(paragraph) {
	const labelled = /^([^:.!?\n]{1,40}):\s+([^]+)$/.exec(paragraph);
	if (labelled)
		return {
			label: labelled[1].trim(),
			facts: labelled[2]
				.replace(/[.!?]+$/, '')
				.split(/;\s+/)
				.map((fact) => fact.split(/\s+/)),
		};
	const sentences = sentencesOf(paragraph).filter((s) => !isGreeting(s));
	const label =
		sentences.length > 1 && isHeading(sentences[0]) ? sentences[0].replace(/[.!?]+$/, '') : '';
	const figures = sentences.filter((s) => /\d/.test(s) && !isHeading(s)).map(clauseOf);
	return { label, facts: figures.length ? figures : [gistOf(paragraph)] };
}

/**
 * Neighbouring points as one, so that at most `max` remain and none is dropped: its label spans theirs
 * ("January to March", the words all labels end with left out), its facts are the first one's.
 * @param {{label: string, facts: string[][]}[]} points
 * @param {number} max
 */
function grouped(points, max) {
	if (points.length <= max) return points;
	const out = [];
	let at = 0;
	for (let g = 0; g < max; g++) {
		const size = Math.floor(points.length / max) + (g < points.length % max ? 1 : 0);
		const group = points.slice(at, at + size);
		at += size;
		const first = group[0].label.split(/\s+/);
		const last = group[group.length - 1].label.split(/\s+/);
		while (first.length > 1 && last.length > 1 && first.at(-1) === last.at(-1)) {
			first.pop();
			last.pop();
		}
		const label =
			group.length > 1 && group[0].label
				? `${first.join(' ')} to ${last.join(' ')}`
				: group[0].label;
		out.push({ label, facts: group[0].facts });
	}
	return out;
}

/**
 * A summary shorter than the text that keeps something of every paragraph: one point per paragraph
 * (neighbours share a point beyond MAX_POINTS), as bullet points when the prompt asks for them.
 * @param {string} text
 * @param {{ bullets?: boolean }} [how]
 */
function summaryOf(text, { bullets = false } = {}) {
	const material = materialOf(text);
	const paragraphs = material
		.split(/\n\s*\n/)
		.map((p) => p.trim())
		.filter(Boolean);
	const points = grouped((paragraphs.length ? paragraphs : [material]).map(pointOf), MAX_POINTS);
	const render = () =>
		points
			.map(({ label, facts }) => {
				const line = endWithPeriod(facts.map((words) => words.join(' ')).join('; '));
				return label ? `${label}: ${line}` : line;
			})
			.map((point) => (bullets ? `- ${point}` : point))
			.join(bullets ? '\n' : '\n\n');
	let summary = render();
	// Drop words from the end of the longest fact until it is shorter than what it summarises.
	const allFacts = points.flatMap((p) => p.facts);
	while (summary.length >= material.length && allFacts.some((words) => words.length > 1)) {
		const longest = allFacts.reduce((a, b) => (b.length > a.length ? b : a));
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
	return fillSchema(schema, (key, prop) => valueFor(key, prop, text));
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

/** Words too common to tell one sentence from another. */
const COMMON = new Set(
	'a an and are as at be by can do does for from how in is it its of on or the to what when where which who why with'.split(
		' ',
	),
);
const NUMBER_WORDS = { one: 1, two: 2, three: 3, four: 4, five: 5 };

/** A word's stem, crudely: lower case, without a plural or past ending ("processed", "processes" → "process"). */
const stemOf = (word) => word.toLowerCase().replace(/(?:es|ed|ing|s)$/, '');

/** @param {string} text */
const keywordsOf = (text) =>
	new Set(
		(text.match(/[\p{L}\d]+/gu) || []).filter((w) => !COMMON.has(w.toLowerCase())).map(stemOf),
	);

/**
 * An answer to `question` from quoted notes: the notes' sentences that share a word with the question,
 * at most as many as the instructions allow ("at most three sentences"; else three), in the notes' order.
 * @param {string} question
 * @param {string} notes
 * @param {string} instructions
 */
function answerFrom(question, notes, instructions) {
	const asked = /\bat most (\w+) sentences?\b/i.exec(instructions);
	const limit = asked ? NUMBER_WORDS[asked[1].toLowerCase()] || Number(asked[1]) || 3 : 3;
	const wanted = keywordsOf(question);
	const sentences = sentencesOf(notes);
	const matching = sentences.filter((s) => [...keywordsOf(s)].some((w) => wanted.has(w)));
	return (matching.length ? matching : sentences.slice(0, 1)).slice(0, limit).join(' ');
}

/** Pronouns of the writer, as someone else tells it. */
const THIRD_PERSON = {
	i: 'they',
	"i'm": 'they are',
	me: 'them',
	my: 'their',
	we: 'they',
	us: 'them',
	our: 'their',
};

/**
 * What `who` needs, in one sentence, from the request of a message (its first sentence that is not a
 * greeting), told in the third person.
 * @param {string} who "the customer"
 * @param {string} message
 */
function needOf(who, message) {
	const request = requestOf(message).replace(/[.!]+$/, '');
	const Who = who.charAt(0).toUpperCase() + who.slice(1);
	if (request.endsWith('?')) return `${Who} asks: "${request}"`;
	const told = request.replace(
		/\b(?:i'm|i|me|my|we|us|our)\b/gi,
		(w) => THIRD_PERSON[w.toLowerCase()],
	);
	return `${Who} needs help because ${told.charAt(0).toLowerCase()}${told.slice(1)}.`;
}

/**
 * The answer after a tool result: the result, and when the prompt asks what someone needs ("say in one
 * sentence what the customer needs"), that need in one sentence.
 * @param {any[]} messages
 * @param {string} last the last user message (the prompt)
 */
function afterToolResult(messages, last) {
	const lastMessage = messages[messages.length - 1];
	const call = messages
		.flatMap((m) => (m.role === 'assistant' && Array.isArray(m.tool_calls) ? m.tool_calls : []))
		.find((c) => c.id === lastMessage.tool_call_id);
	const name = call && call.function ? call.function.name.replace(/_/g, ' ') : 'the tool';
	const result = toolResultText(textOf(lastMessage.content));
	const according = `According to ${name}: "${result}"`;
	const asked = /\bwhat (the [\w-]+(?: [\w-]+)?) (?:needs|wants)\b/i.exec(last);
	return asked ? `${according} ${needOf(asked[1], result)}` : according;
}

/** A request to rework the answer before it ("Refine your answer", "make it plainer"). */
const REWORK = /\b(refine|rewrite|revise|improve|simplify|plainer|shorten|polish)\b/i;

/**
 * The text answer in the demo style.
 * @param {Record<string, any>} body the chat request
 * @param {string} last the last user message
 */
function answerText(body, last) {
	const messages = /** @type {any[]} */ (body.messages);
	const lastMessage = messages[messages.length - 1];
	if (lastMessage && lastMessage.role === 'tool') return afterToolResult(messages, last);
	const earlier = messages
		.slice(0, -1)
		.filter((m) => m.role === 'assistant' && typeof m.content === 'string' && m.content);
	if (lastMessage && lastMessage.role === 'user' && earlier.length && REWORK.test(last))
		return refine(earlier[earlier.length - 1].content);
	const system = messages
		.filter((m) => m.role === 'system')
		.map((m) => textOf(m.content))
		.join('\n');
	const instructions = `${system}\n${last}`;
	if (/\bsummar|\bdigest\b|\bconcise\b|\btl;?dr\b|\bbullet points?\b/i.test(instructions))
		return summaryOf(last, { bullets: /\bbullet/i.test(instructions) });
	if (/\btranslat/i.test(system)) return translate(materialOf(last));
	const material = materialOf(last);
	const question = sentencesOf(last.replace(material, '')).find((s) => s.endsWith('?'));
	if (material !== last.trim() && question) return answerFrom(question, material, instructions);
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
