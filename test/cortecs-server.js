'use strict';

/**
 * A dependency-free, loopback-only HTTP server that behaves like the Cortecs LLM router
 * (https://api.cortecs.ai/v1) closely enough for unit tests, benchmarks and demos.
 *
 * Behaviour follows /work/shared/api/notes.md and cortecs-chat-completions.openapi.json.
 * Answers are deterministic ("Echo: <last user message>") so tests can assert exact outputs,
 * and faults can be requested per message with markers like `[[fault:503:2]]`.
 * Fault names: any status in FAULT_ERRORS and 422, shape-string|detail|message, retry-after-date,
 * not-json, empty, html, reset (cut mid-body), drop (closed before answering), hang, sse-cut,
 * delay-<ms>, echo-auth (a 401 that quotes the Authorization header back).
 *
 * Usage as a library: see startCortecsServer() and cortecs-server.d.ts.
 * Usage as a CLI:     node test/cortecs-server.js [--port 8787] [--latency 300] [--capacity 8]
 *                       [--retry-after 1|none] [--no-cost] [--quiet] [--ipc]
 */

const http = require('node:http');

const VALID_KEY = 'test-key-valid';
const MANAGEMENT_KEY = 'test-key-management';
const EMPTY_BALANCE_KEY = 'test-key-empty-balance';

const HOST = '127.0.0.1';

/** Providers excluded by `eu_native: true` (deliberately a small fixed set, see the brief). */
const NON_EU_NATIVE_PROVIDERS = Object.freeze(['google', 'azure_sc', 'azure_spc']);

const DEFAULT_TAG = 'Instruct';
const USD_PER_EUR = 1.1;

/**
 * @typedef {object} CortecsModel
 * @property {string} id
 * @property {'model'} object
 * @property {number} created
 * @property {string} owned_by
 * @property {string|null} description
 * @property {{input_token: number, output_token: number, currency: string, cache_read_cost?: number}} pricing
 * @property {string[]} providers
 * @property {number} context_size
 * @property {number} max_output_tokens
 * @property {string[]} tags
 * @property {string[]} input_modalities
 * @property {string[]} output_modalities
 * @property {string[]} supported_features
 */

/**
 * @template T
 * @param {T} value
 * @returns {T}
 */
function deepFreeze(value) {
	if (value && typeof value === 'object') {
		for (const v of Object.values(value)) deepFreeze(v);
		Object.freeze(value);
	}
	return value;
}

/**
 * The catalogue. Prices are EUR per 1M tokens, which is the same number as micro-EUR per token,
 * so usage.cost can be computed without unit juggling. Frozen so one test cannot corrupt another.
 * @type {ReadonlyArray<CortecsModel>}
 */
const MODELS = deepFreeze([
	{
		id: 'mistral-small-2503',
		object: 'model',
		created: 1742169600,
		owned_by: 'mistral',
		description: 'Mistral Small 3.1: fast, cost-efficient 24B model with vision and function calling.',
		pricing: { input_token: 0.1, output_token: 0.3, currency: 'EUR', cache_read_cost: 0.01 },
		providers: ['mistral', 'scaleway', 'nebius', 'ovh'],
		context_size: 131072,
		max_output_tokens: 32768,
		tags: ['Instruct', 'Tools', 'Image'],
		input_modalities: ['text', 'image'],
		output_modalities: ['text'],
		supported_features: ['json_mode', 'tools'],
	},
	{
		id: 'mistral-large-2411',
		object: 'model',
		created: 1731974400,
		owned_by: 'mistral',
		description: 'Mistral Large 2.1: flagship model for complex reasoning, coding and multilingual tasks.',
		pricing: { input_token: 1.8, output_token: 5.4, currency: 'EUR', cache_read_cost: 0.18 },
		// Non-EU-native providers first, so `eu_native: true` visibly changes the chosen provider.
		providers: ['azure_sc', 'google', 'mistral'],
		context_size: 131072,
		max_output_tokens: 32768,
		tags: ['Instruct', 'Tools', 'Code'],
		input_modalities: ['text'],
		output_modalities: ['text'],
		supported_features: ['json_mode', 'tools'],
	},
	{
		id: 'llama-3.3-70b-instruct',
		object: 'model',
		created: 1733443200,
		owned_by: 'meta',
		description: 'Llama 3.3 70B Instruct: multilingual open-weight model tuned for dialogue.',
		pricing: { input_token: 0.55, output_token: 0.75, currency: 'EUR' },
		providers: ['scaleway', 'ionos', 'ovh', 'nebius', 'berget', 'azure_spc'],
		context_size: 131072,
		max_output_tokens: 8192,
		tags: ['Instruct', 'Tools'],
		input_modalities: ['text'],
		output_modalities: ['text'],
		supported_features: ['json_mode', 'tools'],
	},
	{
		id: 'gpt-oss-120b',
		object: 'model',
		created: 1754352000,
		owned_by: 'openai',
		description: 'gpt-oss-120b: open-weight reasoning model with configurable reasoning effort.',
		pricing: { input_token: 0.14, output_token: 0.56, currency: 'EUR', cache_read_cost: 0.014 },
		providers: ['nebius', 'inceptron', 'tensorix', 'amazon_ireland', 'amazon_paris'],
		context_size: 131072,
		max_output_tokens: 65536,
		tags: ['Instruct', 'Reasoning', 'Tools'],
		input_modalities: ['text'],
		output_modalities: ['text'],
		supported_features: ['json_mode', 'reasoning', 'tools'],
	},
	{
		id: 'deepseek-r1-distill-llama-70b',
		object: 'model',
		created: 1737590400,
		owned_by: 'deepseek',
		description: null,
		pricing: { input_token: 0.7, output_token: 0.9, currency: 'EUR' },
		providers: ['scaleway', 'ionos', 'infercom'],
		context_size: 65536,
		max_output_tokens: 16384,
		tags: ['Instruct', 'Reasoning'],
		input_modalities: ['text'],
		output_modalities: ['text'],
		supported_features: ['reasoning'],
	},
	{
		id: 'qwen2.5-coder-32b-instruct',
		object: 'model',
		created: 1731369600,
		owned_by: 'qwen',
		description: null,
		pricing: { input_token: 0.18, output_token: 0.54, currency: 'EUR' },
		providers: ['ovh', 'scaleway', 'nebius', 'berget'],
		context_size: 32768,
		max_output_tokens: 8192,
		tags: ['Instruct', 'Code'],
		input_modalities: ['text'],
		output_modalities: ['text'],
		supported_features: ['json_mode'],
	},
	{
		id: 'pixtral-large-2411',
		object: 'model',
		created: 1731974400,
		owned_by: 'mistral',
		description: 'Pixtral Large: 124B multimodal model for documents, charts and natural images.',
		pricing: { input_token: 1.8, output_token: 5.4, currency: 'EUR' },
		providers: ['mistral', 'google'],
		context_size: 131072,
		max_output_tokens: 32768,
		tags: ['Instruct', 'Image', 'Tools'],
		input_modalities: ['text', 'image'],
		output_modalities: ['text'],
		supported_features: ['json_mode', 'tools'],
	},
	{
		id: 'magistral-medium-2506',
		object: 'model',
		created: 1749513600,
		owned_by: 'mistral',
		description: 'Magistral Medium: reasoning model with transparent multilingual chains of thought.',
		pricing: { input_token: 1.8, output_token: 4.5, currency: 'EUR' },
		providers: ['mistral'],
		context_size: 40960,
		max_output_tokens: 40000,
		tags: ['Instruct', 'Reasoning'],
		input_modalities: ['text'],
		output_modalities: ['text'],
		supported_features: ['json_mode', 'reasoning'],
	},
	{
		id: 'mistral-ocr-2505',
		object: 'model',
		created: 1747180800,
		owned_by: 'mistral',
		description: 'Mistral OCR: extracts text, tables and layout from PDFs and images.',
		pricing: { input_token: 1.0, output_token: 1.0, currency: 'EUR' },
		providers: ['mistral'],
		context_size: 131072,
		max_output_tokens: 16384,
		tags: ['OCR', 'Document'],
		input_modalities: ['image', 'document'],
		output_modalities: ['text'],
		supported_features: [],
	},
	{
		id: 'multilingual-e5-large',
		object: 'model',
		created: 1690848000,
		owned_by: 'intfloat',
		description: null,
		pricing: { input_token: 0.02, output_token: 0, currency: 'EUR' },
		providers: ['ionos', 'scaleway'],
		context_size: 512,
		max_output_tokens: 0,
		tags: ['Embedding'],
		input_modalities: ['text'],
		output_modalities: ['embedding'],
		supported_features: [],
	},
]);

/** @type {Map<string, CortecsModel>} */
const MODEL_BY_ID = new Map(MODELS.map((m) => [m.id, m]));

// ---------------------------------------------------------------------------------------------
// Error bodies

/**
 * @param {string} message
 * @param {string} type
 * @param {string|null} param
 * @param {string|null} code
 */
function openAiError(message, type, param, code) {
	return { error: { message, type, param, code } };
}

/** Realistic, distinct messages per status for `[[fault:<status>]]`. */
/** @type {Record<string, {message: string, type: string, code: string}>} */
const FAULT_ERRORS = {
	400: { message: "Invalid request: parameter 'temperature' is not supported by the selected provider", type: 'invalid_request_error', code: 'invalid_request' },
	401: { message: 'Invalid API key', type: 'authentication_error', code: 'invalid_api_key' },
	402: { message: 'Payment required: insufficient prepaid balance', type: 'billing_error', code: 'payment_required' },
	403: { message: 'Forbidden: this API key is not allowed to use this model', type: 'permission_error', code: 'forbidden' },
	404: { message: 'Not found: no provider can currently serve this model', type: 'invalid_request_error', code: 'not_found' },
	408: { message: 'Request timed out', type: 'timeout_error', code: 'request_timeout' },
	413: { message: 'Request entity too large', type: 'invalid_request_error', code: 'request_too_large' },
	429: { message: 'Rate limit exceeded: please retry later', type: 'rate_limit_error', code: 'rate_limit_exceeded' },
	500: { message: 'unexpected_error', type: 'server_error', code: 'unexpected_error' },
	502: { message: 'Bad gateway: upstream provider failed', type: 'server_error', code: 'bad_gateway' },
	503: { message: 'Service unavailable: all providers for this model are overloaded', type: 'server_error', code: 'service_unavailable' },
	504: { message: 'Upstream provider timed out', type: 'server_error', code: 'gateway_timeout' },
};

const NGINX_502_PAGE =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
	'<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

const FAULT_MARKER = /\[\[fault:([a-z0-9-]+)(?::(\d+))?\]\]/i;

// ---------------------------------------------------------------------------------------------
// Small helpers

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

/** @param {number} x */
function round4(x) {
	return Math.round(x * 1e4) / 1e4;
}

/**
 * Plain object from a query string; a repeated key becomes an array.
 * @param {string} qs
 * @returns {Record<string, string|string[]>}
 */
function parseQuery(qs) {
	/** @type {Record<string, string|string[]>} */
	const out = {};
	if (!qs) return out;
	for (const [k, v] of new URLSearchParams(qs)) {
		if (!Object.prototype.hasOwnProperty.call(out, k)) out[k] = v;
		else if (Array.isArray(out[k])) /** @type {string[]} */ (out[k]).push(v);
		else out[k] = [/** @type {string} */ (out[k]), v];
	}
	return out;
}

/**
 * Splits text into consecutive pieces whose concatenation is exactly `text`, about 3 words each,
 * but always at least 2 pieces when there are 2+ words (so streaming clients see real deltas).
 * @param {string} text
 * @returns {string[]}
 */
function splitWords(text) {
	const tokens = text.match(/\s*\S+\s*/g);
	if (!tokens) return text ? [text] : [];
	const size = Math.max(1, Math.min(3, Math.ceil(tokens.length / 2)));
	const pieces = [];
	for (let i = 0; i < tokens.length; i += size) pieces.push(tokens.slice(i, i + size).join(''));
	return pieces;
}

/**
 * Splits a string into at least 2 pieces (when it has 2+ characters) of at most 16 characters.
 * @param {string} s
 * @returns {string[]}
 */
function splitChars(s) {
	const size = Math.max(1, Math.min(16, Math.ceil(s.length / 2)));
	const pieces = [];
	for (let i = 0; i < s.length; i += size) pieces.push(s.slice(i, i + size));
	return pieces;
}

/** @param {import('node:http').IncomingMessage} req */
function bearerOf(req) {
	const h = req.headers.authorization;
	if (!h) return null;
	const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
	return m ? m[1] : null;
}

/** @param {unknown} v */
function isPlainObject(v) {
	return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// ---------------------------------------------------------------------------------------------
// Completion building (pure functions of the request, so JSON and SSE answers agree exactly)

/**
 * @typedef {object} ChatPlan
 * @property {CortecsModel} model
 * @property {string} provider
 * @property {Record<string, any>} body
 */

/**
 * Validates a parsed chat request. Returns either an error answer or a plan.
 * @param {unknown} body
 * @param {boolean} bodyIsJson
 * @returns {{status: number, payload: object} | {plan: ChatPlan}}
 */
function validateChat(body, bodyIsJson) {
	const bad = (/** @type {string} */ message, /** @type {string|null} */ param, code = 'invalid_request') => ({
		status: 400,
		payload: openAiError(message, 'invalid_request_error', param, code),
	});
	const unprocessable = (/** @type {string} */ field, /** @type {string} */ msg, /** @type {string} */ type) => ({
		status: 422,
		payload: { detail: [{ loc: ['body', field], msg, type }] },
	});

	if (!bodyIsJson || !isPlainObject(body)) return bad('Request body must be a JSON object', null, 'invalid_json');
	const b = /** @type {Record<string, any>} */ (body);
	if (typeof b.model !== 'string' || !b.model) return bad("Missing required parameter: 'model'", 'model', 'missing_required_parameter');
	if (!Array.isArray(b.messages) || b.messages.length === 0) {
		return bad("'messages' must be a non-empty array", 'messages', b.messages === undefined ? 'missing_required_parameter' : 'invalid_type');
	}
	for (let i = 0; i < b.messages.length; i++) {
		const m = b.messages[i];
		if (!isPlainObject(m) || typeof m.role !== 'string') return bad(`Invalid message at index ${i}: expected an object with a 'role'`, `messages[${i}]`, 'invalid_type');
	}
	if (b.n != null && !(Number.isInteger(b.n) && b.n >= 1 && b.n <= 128)) return bad("'n' must be an integer between 1 and 128", 'n', 'invalid_value');
	const maxTokens = b.max_tokens ?? b.max_completion_tokens;
	if (maxTokens != null && !(Number.isInteger(maxTokens) && maxTokens >= 1)) return bad("'max_tokens' must be a positive integer", 'max_tokens', 'invalid_value');
	if (b.tools != null) {
		if (!Array.isArray(b.tools)) return bad("'tools' must be an array", 'tools', 'invalid_type');
		for (let i = 0; i < b.tools.length; i++) {
			const name = b.tools[i] && b.tools[i].function && b.tools[i].function.name;
			if (typeof name !== 'string' || !name) return bad(`Invalid 'tools[${i}]': missing function.name`, `tools[${i}].function.name`, 'invalid_value');
		}
		const forced = isPlainObject(b.tool_choice) && b.tool_choice.function && b.tool_choice.function.name;
		if (forced && !b.tools.some((/** @type {any} */ t) => t.function.name === forced)) {
			return bad(`tool_choice names unknown function '${forced}'`, 'tool_choice', 'invalid_value');
		}
	}
	// Router fields are validated FastAPI/pydantic style (422 + detail list), like the real router.
	if (b.preference != null && !['speed', 'cost', 'balanced'].includes(b.preference)) {
		return unprocessable('preference', "Input should be 'speed', 'cost' or 'balanced'", 'enum');
	}
	if (b.allowed_providers != null && (!Array.isArray(b.allowed_providers) || b.allowed_providers.some((/** @type {unknown} */ p) => typeof p !== 'string'))) {
		return unprocessable('allowed_providers', 'Input should be a valid list of strings', 'list_type');
	}

	const model = MODEL_BY_ID.get(b.model);
	if (!model) return { status: 404, payload: openAiError(`Model '${b.model}' not found`, 'invalid_request_error', 'model', 'model_not_found') };

	let providers = model.providers;
	if (Array.isArray(b.allowed_providers)) {
		// Unknown names are ignored simply because they never match; an empty list allows nothing.
		const allowed = new Set(b.allowed_providers);
		providers = providers.filter((p) => allowed.has(p));
	}
	if (b.eu_native === true) providers = providers.filter((p) => !NON_EU_NATIVE_PROVIDERS.includes(p));
	if (providers.length === 0) {
		return { status: 404, payload: openAiError('Provider not in allowed providers', 'invalid_request_error', 'allowed_providers', 'provider_not_allowed') };
	}
	// 'cost' picks the last surviving provider only so tests can observe that preference was sent.
	const provider = b.preference === 'cost' ? providers[providers.length - 1] : providers[0];
	return { plan: { model, provider, body: b } };
}

/**
 * @param {Record<string, any>} schema
 * @param {string} last
 */
function objectFromSchema(schema, last) {
	/** @type {Record<string, unknown>} */
	const out = {};
	const props = schema && schema.properties;
	if (!isPlainObject(props)) return out;
	for (const [key, prop] of Object.entries(props)) {
		let type = prop && prop.type;
		if (Array.isArray(type)) type = type.find((t) => t !== 'null');
		switch (type) {
			case 'string': out[key] = last; break;
			case 'number':
			case 'integer': out[key] = countWords(last); break;
			case 'boolean': out[key] = true; break;
			case 'array': out[key] = []; break;
			case 'object': out[key] = {}; break;
			default: out[key] = null;
		}
	}
	return out;
}

/**
 * @typedef {object} ServerCounters
 * @property {number} completion
 * @property {number} toolCall
 */

/**
 * Builds the full chat.completion object for a validated request.
 * @param {ChatPlan} plan
 * @param {ServerCounters} counters
 * @param {boolean} includeCost
 */
function buildCompletion(plan, counters, includeCost) {
	const { body, model } = plan;
	const messages = /** @type {any[]} */ (body.messages);

	let last = '';
	let promptTokens = 0;
	for (const m of messages) {
		const text = textOf(m.content);
		promptTokens += countWords(text) + 1;
		if (m.role === 'user') last = text;
	}

	const n = body.n ?? 1;
	const maxTokens = body.max_tokens ?? body.max_completion_tokens;
	const stops = typeof body.stop === 'string' ? [body.stop] : Array.isArray(body.stop) ? body.stop.filter((/** @type {unknown} */ s) => typeof s === 'string' && s) : [];
	const format = isPlainObject(body.response_format) ? body.response_format.type : undefined;
	const tools = Array.isArray(body.tools) ? body.tools : [];
	// A conversation that ends in a tool result gets a text answer (as a real model would), so agents finish.
	const lastMessage = messages[messages.length - 1];
	const afterToolResult = Boolean(lastMessage && lastMessage.role === 'tool') && (body.tool_choice == null || body.tool_choice === 'auto');
	const useTools = tools.length > 0 && body.tool_choice !== 'none' && !afterToolResult;
	let calledTools = tools;
	if (useTools) {
		const forced = isPlainObject(body.tool_choice) && body.tool_choice.function && body.tool_choice.function.name;
		if (forced) calledTools = tools.filter((/** @type {any} */ t) => t.function.name === forced).slice(0, 1);
		else if (!(body.parallel_tool_calls === true && tools.length >= 2)) calledTools = tools.slice(0, 1);
	}
	const effort = body.reasoning_effort;
	const reasoning = model.supported_features.includes('reasoning') || (effort != null && effort !== '')
		? `Thinking (${effort || 'medium'}) about: ${last}`
		: null;

	let completionTokens = 0;
	let reasoningTokens = 0;
	const choices = [];
	for (let i = 0; i < n; i++) {
		/** @type {Record<string, any>} */
		const message = { role: 'assistant', content: null };
		let finish = 'stop';
		if (reasoning !== null) {
			message.reasoning_content = reasoning;
			reasoningTokens += countWords(reasoning);
		}
		if (useTools) {
			message.tool_calls = calledTools.map((/** @type {any} */ t) => {
				const args = JSON.stringify({ input: last });
				completionTokens += countWords(args);
				return { id: `call_${++counters.toolCall}`, type: 'function', function: { name: t.function.name, arguments: args } };
			});
			finish = 'tool_calls';
		} else {
			let content;
			if (format === 'json_object') content = JSON.stringify({ echo: last });
			else if (format === 'json_schema') content = JSON.stringify(objectFromSchema(body.response_format.json_schema && body.response_format.json_schema.schema, last));
			else content = 'Echo: ' + last + (i > 0 ? ` (#${i + 1})` : '');
			let cut = -1;
			for (const s of stops) {
				const at = content.indexOf(s);
				if (at !== -1 && (cut === -1 || at < cut)) cut = at;
			}
			if (cut !== -1) content = content.slice(0, cut);
			if (maxTokens != null) {
				const words = content.match(/\S+/g) || [];
				if (words.length > maxTokens) {
					content = words.slice(0, maxTokens).join(' ');
					finish = 'length';
				}
			}
			message.content = content;
			completionTokens += countWords(content);
		}
		let logprobs = null;
		if (body.logprobs && typeof message.content === 'string') {
			const words = message.content.match(/\S+/g) || [];
			logprobs = { content: words.map((w, k) => ({ token: w, logprob: -((k % 5) + 1) / 100, bytes: null, top_logprobs: [] })) };
		}
		choices.push({ index: i, message, logprobs, finish_reason: finish });
	}
	// Reasoning tokens are billed output, so (as with OpenAI) they are part of completion_tokens.
	completionTokens += reasoningTokens;

	/** @type {Record<string, any>} */
	const usage = {
		prompt_tokens: promptTokens,
		completion_tokens: completionTokens,
		total_tokens: promptTokens + completionTokens,
		prompt_tokens_details: { cached_tokens: 0 },
		completion_tokens_details: { reasoning_tokens: reasoningTokens },
	};
	if (includeCost) {
		const { input_token: inPrice, output_token: outPrice } = model.pricing;
		const cost = Math.round(promptTokens * inPrice + completionTokens * outPrice);
		const promptCost = Math.round(promptTokens * inPrice);
		usage.cost = cost;
		// completion_cost takes the rounding remainder so the details always add up to cost.
		usage.cost_details = {
			prompt_cost: promptCost,
			cache_read_cost: 0,
			cache_write_cost: 0,
			completion_cost: cost - promptCost,
			prompt_audio_cost: 0,
		};
	}

	counters.completion++;
	return {
		id: 'chatcmpl-' + String(counters.completion).padStart(8, '0'),
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: model.id,
		choices,
		usage,
	};
}

/**
 * Turns a completion into SSE frames ('data: ...\n\n' strings).
 * @param {ReturnType<typeof buildCompletion>} completion
 * @param {boolean} includeUsage
 * @returns {{frames: string[], firstFinish: number}} firstFinish = index of the first finish_reason frame
 */
function sseFrames(completion, includeUsage) {
	const { id, created, model } = completion;
	const frames = [];
	const chunk = (/** @type {number} */ index, /** @type {object} */ delta, /** @type {string|null} */ finish = null) =>
		frames.push('data: ' + JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index, delta, finish_reason: finish }] }) + '\n\n');
	let firstFinish = -1;
	for (const c of completion.choices) {
		const msg = c.message;
		chunk(c.index, { role: 'assistant', content: '' });
		if (msg.reasoning_content) for (const piece of splitWords(msg.reasoning_content)) chunk(c.index, { reasoning_content: piece });
		if (msg.content) for (const piece of splitWords(msg.content)) chunk(c.index, { content: piece });
		if (msg.tool_calls) {
			msg.tool_calls.forEach((/** @type {any} */ tc, /** @type {number} */ j) => {
				chunk(c.index, { tool_calls: [{ index: j, id: tc.id, type: 'function', function: { name: tc.function.name, arguments: '' } }] });
				for (const piece of splitChars(tc.function.arguments)) chunk(c.index, { tool_calls: [{ index: j, function: { arguments: piece } }] });
			});
		}
		if (firstFinish === -1) firstFinish = frames.length;
		chunk(c.index, {}, c.finish_reason);
	}
	if (includeUsage) {
		frames.push('data: ' + JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: completion.usage }) + '\n\n');
	}
	frames.push('data: [DONE]\n\n');
	return { frames, firstFinish };
}

/**
 * Finds the first `[[fault:...]]` marker in any message.
 * @param {any[]} messages
 * @returns {{name: string, limit: number|null} | null}
 */
function findFault(messages) {
	for (const m of messages) {
		const text = textOf(m.content);
		// indexOf first: the common (benchmark) path never runs the regex.
		if (text.indexOf('[[fault:') === -1) continue;
		const match = FAULT_MARKER.exec(text);
		if (match) return { name: match[1].toLowerCase(), limit: match[2] === undefined ? null : Number(match[2]) };
	}
	return null;
}

// ---------------------------------------------------------------------------------------------
// The server

/**
 * @typedef {object} CortecsServerOptions
 * @property {number} [port=0]
 * @property {number} [latencyMs=0]
 * @property {number} [capacity=Infinity]
 * @property {string|number|null} [retryAfter='1']
 * @property {{valid?: string[], management?: string[], emptyBalance?: string[]}} [keys]
 * @property {boolean} [includeCost=true]
 * @property {boolean} [quiet=true]
 * @property {boolean} [logRequests=true]
 */

/**
 * @typedef {object} RequestLogEntry
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string|string[]>} query
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {unknown} body
 * @property {number|null} status  null while unanswered (e.g. `hang`)
 * @property {number} at
 */

/**
 * @typedef {object} ServerStats
 * @property {number} inFlight
 * @property {number} maxInFlight
 * @property {number} total
 * @property {number} count429
 * @property {Record<string, number>} countByStatus
 */

/**
 * @typedef {object} RequestContext
 * @property {import('node:http').IncomingMessage} req
 * @property {import('node:http').ServerResponse} res
 * @property {RequestLogEntry|null} entry
 * @property {boolean} isChat
 * @property {number|null} status
 * @property {number} started
 * @property {NodeJS.Timeout|null} timer
 */

/**
 * Starts a Cortecs-compatible server on 127.0.0.1.
 * @param {CortecsServerOptions} [options]
 */
function startCortecsServer(options = {}) {
	const settings = {
		latencyMs: 0,
		capacity: Infinity,
		/** @type {string|null} */
		retryAfter: '1',
		includeCost: true,
		quiet: true,
		logRequests: true,
	};
	configure(options);

	const keys = options.keys || {};
	const validKeys = new Set(keys.valid || [VALID_KEY]);
	const managementKeys = new Set(keys.management || [MANAGEMENT_KEY]);
	const emptyBalanceKeys = new Set(keys.emptyBalance || [EMPTY_BALANCE_KEY]);

	/** @type {RequestLogEntry[]} */
	const requests = [];
	/** @type {ServerStats} */
	const stats = { inFlight: 0, maxInFlight: 0, total: 0, count429: 0, countByStatus: {} };
	/** Attempts per fault key (JSON of messages), for `[[fault:NAME:K]]`. */
	const attempts = new Map();
	/** @type {ServerCounters} */
	const counters = { completion: 0, toolCall: 0 };
	/** @type {Set<import('node:net').Socket>} */
	const sockets = new Set();

	/** @param {Partial<CortecsServerOptions>} o */
	function configure(o) {
		if (!o) return;
		if (o.latencyMs !== undefined) settings.latencyMs = Math.max(0, Number(o.latencyMs) || 0);
		// null means "unlimited" so the setting survives JSON (IPC), where Infinity becomes null.
		if (o.capacity !== undefined) settings.capacity = o.capacity === null ? Infinity : Number(o.capacity);
		if (o.retryAfter !== undefined) settings.retryAfter = o.retryAfter === null ? null : String(o.retryAfter);
		if (o.includeCost !== undefined) settings.includeCost = Boolean(o.includeCost);
		if (o.quiet !== undefined) settings.quiet = Boolean(o.quiet);
		if (o.logRequests !== undefined) settings.logRequests = Boolean(o.logRequests);
	}

	function reset() {
		requests.length = 0;
		// inFlight is a live gauge of open requests, so it survives a reset.
		stats.maxInFlight = stats.inFlight;
		stats.total = 0;
		stats.count429 = 0;
		stats.countByStatus = {};
		attempts.clear();
		counters.completion = 0;
		counters.toolCall = 0;
	}

	/**
	 * @param {RequestContext} ctx
	 * @param {number} status
	 */
	function commitStatus(ctx, status) {
		ctx.status = status;
		if (ctx.entry) ctx.entry.status = status;
		if (ctx.isChat) stats.countByStatus[status] = (stats.countByStatus[status] || 0) + 1;
	}

	/**
	 * @param {RequestContext} ctx
	 * @param {number} status
	 * @param {Record<string, string>} headers
	 * @param {string} payload
	 */
	function sendRaw(ctx, status, headers, payload) {
		if (ctx.res.destroyed) return;
		commitStatus(ctx, status);
		headers['content-length'] = String(Buffer.byteLength(payload));
		ctx.res.writeHead(status, headers);
		ctx.res.end(payload);
	}

	/**
	 * @param {RequestContext} ctx
	 * @param {number} status
	 * @param {unknown} body
	 * @param {Record<string, string>} [headers]
	 */
	function sendJson(ctx, status, body, headers = {}) {
		headers['content-type'] = 'application/json';
		sendRaw(ctx, status, headers, JSON.stringify(body));
	}

	/** @param {RequestContext} ctx @param {number} ms @param {() => void} fn */
	function later(ctx, ms, fn) {
		if (ms <= 0) fn();
		else ctx.timer = setTimeout(fn, ms);
	}

	/**
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 */
	function onRequest(req, res) {
		const started = Date.now();
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const url = req.url || '/';
			const q = url.indexOf('?');
			const path = q === -1 ? url : url.slice(0, q);
			const qs = q === -1 ? '' : url.slice(q + 1);
			const raw = chunks.length === 0 ? '' : chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
			let body;
			let bodyIsJson = false;
			if (raw !== '') {
				try {
					body = JSON.parse(raw);
					bodyIsJson = true;
				} catch {
					body = raw;
				}
			}
			const method = req.method || 'GET';
			/** @type {RequestLogEntry|null} */
			let entry = null;
			if (settings.logRequests) {
				entry = { method, path, query: parseQuery(qs), headers: req.headers, body, status: null, at: started };
				requests.push(entry);
			}
			/** @type {RequestContext} */
			const ctx = { req, res, entry, isChat: false, status: null, started, timer: null };
			res.once('close', () => {
				if (ctx.timer) clearTimeout(ctx.timer);
				if (!settings.quiet) console.log(`${method} ${path} ${ctx.status ?? '-'} ${Date.now() - started}ms`);
			});
			route(ctx, method, path, qs, body, bodyIsJson);
		});
	}

	/**
	 * @param {RequestContext} ctx
	 * @param {string} method
	 * @param {string} path
	 * @param {string} qs
	 * @param {unknown} body
	 * @param {boolean} bodyIsJson
	 */
	function route(ctx, method, path, qs, body, bodyIsJson) {
		const routes = {
			'/v1/chat/completions': 'POST',
			'/v1/models': 'GET',
			'/v1/manage/api-keys': 'GET',
		};
		const allowed = /** @type {Record<string, string>} */ (routes)[path];
		// Unknown routes answer like FastAPI does.
		if (!allowed) return sendJson(ctx, 404, { detail: 'Not Found' });
		if (method !== allowed) return sendJson(ctx, 405, { detail: 'Method Not Allowed' }, { allow: allowed });
		if (path === '/v1/models') return handleModels(ctx, qs);
		if (path === '/v1/manage/api-keys') return handleApiKeys(ctx);
		return handleChat(ctx, body, bodyIsJson);
	}

	/** @param {RequestContext} ctx @param {string} qs */
	function handleModels(ctx, qs) {
		const params = new URLSearchParams(qs);
		// FastAPI list parsing: only repeated plain `tag` keys count; `tag[]`/`tag[0]` are other keys.
		let tags = params.getAll('tag').filter((t) => t !== '');
		if (tags.length === 0) tags = [DEFAULT_TAG];
		const wanted = tags.map((t) => t.toLowerCase());
		const usd = (params.get('currency') || '').toUpperCase() === 'USD';
		const data = [];
		for (const m of MODELS) {
			const have = m.tags.map((t) => t.toLowerCase());
			if (!wanted.every((t) => have.includes(t))) continue;
			if (!usd) {
				data.push(m);
				continue;
			}
			/** @type {Record<string, any>} */
			const pricing = {
				input_token: round4(m.pricing.input_token * USD_PER_EUR),
				output_token: round4(m.pricing.output_token * USD_PER_EUR),
				currency: 'USD',
			};
			if (m.pricing.cache_read_cost !== undefined) pricing.cache_read_cost = round4(m.pricing.cache_read_cost * USD_PER_EUR);
			data.push({ ...m, pricing });
		}
		sendJson(ctx, 200, { object: 'list', data });
	}

	/** @param {RequestContext} ctx */
	function handleApiKeys(ctx) {
		const key = bearerOf(ctx.req);
		if (key !== null && managementKeys.has(key)) return sendJson(ctx, 200, { api_keys: [{ id: 'k1', name: 'default' }] });
		if (key !== null && (validKeys.has(key) || emptyBalanceKeys.has(key))) return sendJson(ctx, 403, { error: 'Forbidden: management key required' });
		return sendJson(ctx, 401, { error: 'Invalid API key' });
	}

	/**
	 * @param {RequestContext} ctx
	 * @param {unknown} body
	 * @param {boolean} bodyIsJson
	 */
	function handleChat(ctx, body, bodyIsJson) {
		ctx.isChat = true;
		stats.total++;

		// Overload is rejected before any other work and without latency, like a gateway would.
		if (stats.inFlight >= settings.capacity) {
			stats.count429++;
			/** @type {Record<string, string>} */
			const headers = {};
			if (settings.retryAfter !== null) headers['retry-after'] = settings.retryAfter;
			return sendJson(ctx, 429, openAiError('Rate limit exceeded: too many concurrent requests', 'rate_limit_error', null, 'rate_limit_exceeded'), headers);
		}
		stats.inFlight++;
		if (stats.inFlight > stats.maxInFlight) stats.maxInFlight = stats.inFlight;
		// 'close' fires both after a normal end and when the client (or close()) drops the socket.
		ctx.res.once('close', () => {
			stats.inFlight--;
		});

		const latency = settings.latencyMs;
		const key = bearerOf(ctx.req);
		if (key !== null && emptyBalanceKeys.has(key)) {
			return later(ctx, latency, () =>
				sendJson(ctx, 401, openAiError('Insufficient balance: top up your prepaid credits', 'authentication_error', null, 'insufficient_balance')),
			);
		}
		if (key === null || !(validKeys.has(key) || managementKeys.has(key))) {
			return later(ctx, latency, () => sendJson(ctx, 401, openAiError('Invalid API key', 'authentication_error', null, 'invalid_api_key')));
		}

		const checked = validateChat(body, bodyIsJson);
		if (!('plan' in checked)) return later(ctx, latency, () => sendJson(ctx, checked.status, checked.payload));
		const plan = checked.plan;

		let fault = findFault(plan.body.messages);
		if (fault && fault.limit !== null) {
			const faultKey = JSON.stringify(plan.body.messages);
			const n = (attempts.get(faultKey) || 0) + 1;
			attempts.set(faultKey, n);
			if (n > fault.limit) fault = null; // the flaky item has failed often enough: succeed now
		}

		if (fault && fault.name === 'hang') return; // never answer; 'close' releases the slot
		let extraDelay = 0;
		if (fault) {
			const delay = /^delay-(\d+)$/.exec(fault.name);
			if (delay) {
				extraDelay = Number(delay[1]);
				fault = null;
			}
		}
		const name = fault ? fault.name : null;
		later(ctx, latency + extraDelay, () => (name === null ? answer(ctx, plan) : answerFault(ctx, plan, name)));
	}

	/**
	 * @param {ChatPlan} plan
	 * @param {string} contentType
	 * @returns {Record<string, string>}
	 */
	function successHeaders(plan, contentType) {
		/** @type {Record<string, string>} */
		const headers = { 'content-type': contentType, 'x-cortecs-provider': plan.provider, 'x-cortecs-model': plan.model.id };
		if (contentType === 'text/event-stream') headers['cache-control'] = 'no-cache';
		return headers;
	}

	/** @param {RequestContext} ctx @param {ChatPlan} plan */
	function answer(ctx, plan) {
		const completion = buildCompletion(plan, counters, settings.includeCost);
		if (plan.body.stream !== true) return sendRaw(ctx, 200, successHeaders(plan, 'application/json'), JSON.stringify(completion));
		const includeUsage = !(isPlainObject(plan.body.stream_options) && plan.body.stream_options.include_usage === false);
		streamFrames(ctx, plan, sseFrames(completion, includeUsage).frames);
	}

	/**
	 * Writes frames one per event-loop turn so clients see several TCP writes, then ends.
	 * @param {RequestContext} ctx
	 * @param {ChatPlan} plan
	 * @param {string[]} frames
	 */
	function streamFrames(ctx, plan, frames) {
		if (ctx.res.destroyed) return;
		commitStatus(ctx, 200);
		ctx.res.writeHead(200, successHeaders(plan, 'text/event-stream'));
		let i = 0;
		const next = () => {
			if (ctx.res.destroyed) return;
			if (i >= frames.length) return void ctx.res.end();
			ctx.res.write(frames[i++]);
			setImmediate(next);
		};
		next();
	}

	/**
	 * @param {RequestContext} ctx
	 * @param {ChatPlan} plan
	 * @param {string} name
	 */
	function answerFault(ctx, plan, name) {
		const errorSpec = FAULT_ERRORS[name];
		if (errorSpec) {
			const status = Number(name);
			/** @type {Record<string, string>} */
			const headers = status === 429 || status === 503 ? { 'retry-after': '1' } : {};
			const param = status === 404 ? 'model' : null;
			return sendJson(ctx, status, openAiError(errorSpec.message, errorSpec.type, param, errorSpec.code), headers);
		}
		switch (name) {
			case '422':
				return sendJson(ctx, 422, { detail: [{ loc: ['body', 'x'], msg: 'Extra inputs are not permitted', type: 'extra_forbidden' }] });
			case 'shape-string':
				return sendJson(ctx, 400, { error: 'Invalid parameter: temperature' });
			case 'shape-detail':
				return sendJson(ctx, 400, { detail: 'Invalid request' });
			case 'shape-message':
				return sendJson(ctx, 400, { message: 'Malformed request' });
			case 'retry-after-date': {
				// HTTP dates have whole-second resolution; round up so the date is really >= 1 s ahead.
				const when = new Date(Math.ceil((Date.now() + 1000) / 1000) * 1000).toUTCString();
				return sendJson(ctx, 503, openAiError(FAULT_ERRORS[503].message, 'server_error', null, 'service_unavailable'), { 'retry-after': when });
			}
			case 'not-json':
				return sendRaw(ctx, 200, successHeaders(plan, 'application/json'), 'this is not json');
			case 'empty':
				return sendRaw(ctx, 200, successHeaders(plan, 'application/json'), '');
			case 'html':
				return sendRaw(ctx, 502, { 'content-type': 'text/html' }, NGINX_502_PAGE);
			case 'reset':
				return resetMidBody(ctx, plan);
			case 'drop':
				// The socket closes before any byte of an answer ("socket hang up" on the client); the log
				// keeps status null, as for `hang`.
				return void ctx.req.socket.destroy();
			case 'echo-auth':
				// A gateway that quotes the request's credentials back (seen in debug pages of proxies).
				return sendJson(ctx, 401, {
					error: { message: `Invalid API key: ${ctx.req.headers.authorization}`, type: 'authentication_error', param: null, code: 'invalid_api_key' },
					received_headers: { authorization: ctx.req.headers.authorization },
				});
			case 'sse-cut': {
				// Always streams, whatever `stream` says: a broken upstream stream is the point.
				const { frames, firstFinish } = sseFrames(buildCompletion(plan, counters, settings.includeCost), true);
				const cut = frames.slice(0, Math.max(1, Math.min(3, firstFinish)));
				return streamFrames(ctx, plan, cut);
			}
			default:
				// Loud rather than silently succeeding: a typo in a test marker should not pass unnoticed.
				return sendJson(ctx, 400, openAiError(`Unknown test fault '${name}'`, 'invalid_request_error', null, 'unknown_fault'));
		}
	}

	/**
	 * 200 headers and part of the body, then the socket is destroyed: a connection reset mid-answer.
	 * @param {RequestContext} ctx
	 * @param {ChatPlan} plan
	 */
	function resetMidBody(ctx, plan) {
		if (ctx.res.destroyed) return;
		const completion = buildCompletion(plan, counters, settings.includeCost);
		const socket = ctx.req.socket;
		commitStatus(ctx, 200);
		if (plan.body.stream === true) {
			ctx.res.writeHead(200, successHeaders(plan, 'text/event-stream'));
			ctx.res.write(sseFrames(completion, true).frames[0], () => socket.destroy());
			return;
		}
		const payload = JSON.stringify(completion);
		const headers = successHeaders(plan, 'application/json');
		// Announce the full length so the client knows the body was cut short.
		headers['content-length'] = String(Buffer.byteLength(payload));
		ctx.res.writeHead(200, headers);
		ctx.res.write(payload.slice(0, Math.floor(payload.length / 2)), () => socket.destroy());
	}

	const httpServer = http.createServer(onRequest);
	httpServer.on('connection', (socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
	});

	/** @type {Promise<void>|null} */
	let closing = null;
	function close() {
		if (!closing) {
			closing = new Promise((resolve) => {
				httpServer.close(() => resolve());
				// Hung requests and idle keep-alive sockets would otherwise keep close() waiting.
				for (const s of sockets) s.destroy();
			});
		}
		return closing;
	}

	return new Promise((resolve, reject) => {
		httpServer.once('error', reject);
		httpServer.listen(options.port || 0, HOST, () => {
			httpServer.off('error', reject);
			const address = /** @type {import('node:net').AddressInfo} */ (httpServer.address());
			resolve({
				url: `http://${HOST}:${address.port}/v1`,
				port: address.port,
				requests,
				stats,
				chatRequests: () => requests.filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions'),
				configure,
				reset,
				close,
				httpServer,
			});
		});
	});
}

// ---------------------------------------------------------------------------------------------
// CLI

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {Record<string, string|boolean>} */
	const args = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (!a.startsWith('--')) continue;
		const eq = a.indexOf('=');
		if (eq !== -1) args[a.slice(2, eq)] = a.slice(eq + 1);
		else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) args[a.slice(2)] = argv[++i];
		else args[a.slice(2)] = true;
	}
	return args;
}

/** @param {string[]} argv */
async function main(argv) {
	const args = parseArgs(argv);
	const retry = args['retry-after'];
	const server = await startCortecsServer({
		port: args.port !== undefined ? Number(args.port) : 8787,
		latencyMs: args.latency !== undefined ? Number(args.latency) : 0,
		capacity: args.capacity !== undefined ? Number(args.capacity) : Infinity,
		retryAfter: retry === undefined ? '1' : retry === 'none' ? null : String(retry),
		includeCost: !args['no-cost'],
		quiet: Boolean(args.quiet),
		// Nobody can read the log of a CLI server, and it would grow without bound.
		logRequests: false,
	});
	console.log(`Cortecs-compatible server listening on ${server.url}`);

	const stop = () => {
		server.close().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);

	if (args.ipc && typeof process.send === 'function') {
		const send = /** @type {(msg: unknown) => void} */ (process.send.bind(process));
		process.on('message', (/** @type {any} */ msg) => {
			if (!msg || typeof msg !== 'object') return;
			const { cmd, id, ...rest } = msg;
			if (cmd === 'configure') server.configure(rest);
			else if (cmd === 'reset') server.reset();
			else if (cmd === 'close') return stop();
			else if (cmd !== 'stats') return;
			send(id === undefined ? { stats: server.stats } : { id, stats: server.stats });
		});
		// A benchmark that dies must not leave an orphan server behind.
		process.once('disconnect', stop);
		send({ ready: true, url: server.url });
	}
}

if (require.main === module) {
	main(process.argv.slice(2)).catch((err) => {
		console.error(err);
		process.exit(1);
	});
}

module.exports = {
	startCortecsServer,
	MODELS,
	VALID_KEY,
	MANAGEMENT_KEY,
	EMPTY_BALANCE_KEY,
	NON_EU_NATIVE_PROVIDERS,
};
