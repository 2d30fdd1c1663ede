'use strict';

/**
 * POST /v1/chat/completions as pure functions of the request: validation and provider choice
 * (`validateChat`), then the chat.completion object (`buildCompletion`). The JSON and SSE answers are
 * both built from that one object, so they always agree.
 */

const { MODEL_BY_ID, NON_EU_NATIVE_PROVIDERS } = require('./catalogue');
const { openAiError } = require('./respond');
const demo = require('./demo');
const demoFiles = require('./demo-files');
const { checkFileParts, filesOf, modalityProblem } = require('./files');
const { countWords, textOf, isPlainObject } = require('./text');

/**
 * @typedef {object} ChatPlan
 * @property {import('./index').CortecsModel} model
 * @property {string} provider
 * @property {Record<string, any>} body
 */

/**
 * @typedef {object} ServerCounters
 * @property {number} completion
 * @property {number} toolCall
 */

/**
 * @param {string} message
 * @param {string|null} param
 * @param {string} [code]
 */
function badRequest(message, param, code = 'invalid_request') {
	return { status: 400, payload: openAiError(message, 'invalid_request_error', param, code) };
}

/**
 * Router fields are validated FastAPI/pydantic style (422 + detail list), like the real router.
 * @param {string} field
 * @param {string} msg
 * @param {string} type
 */
function unprocessable(field, msg, type) {
	return { status: 422, payload: { detail: [{ loc: ['body', field], msg, type }] } };
}

/**
 * The first problem of the OpenAI fields of a request, or null.
 * @param {Record<string, any>} b
 */
function checkOpenAiFields(b) {
	if (typeof b.model !== 'string' || !b.model) {
		return badRequest("Missing required parameter: 'model'", 'model', 'missing_required_parameter');
	}
	if (!Array.isArray(b.messages) || b.messages.length === 0) {
		const code = b.messages === undefined ? 'missing_required_parameter' : 'invalid_type';
		return badRequest("'messages' must be a non-empty array", 'messages', code);
	}
	for (let i = 0; i < b.messages.length; i++) {
		const m = b.messages[i];
		if (!isPlainObject(m) || typeof m.role !== 'string') {
			const message = `Invalid message at index ${i}: expected an object with a 'role'`;
			return badRequest(message, `messages[${i}]`, 'invalid_type');
		}
	}
	const partProblem = checkToolMessages(b.messages) || checkFileParts(b.messages);
	if (partProblem) return partProblem;
	if (b.n != null && !(Number.isInteger(b.n) && b.n >= 1 && b.n <= 128)) {
		return badRequest("'n' must be an integer between 1 and 128", 'n', 'invalid_value');
	}
	const maxTokens = b.max_tokens ?? b.max_completion_tokens;
	if (maxTokens != null && !(Number.isInteger(maxTokens) && maxTokens >= 1)) {
		return badRequest("'max_tokens' must be a positive integer", 'max_tokens', 'invalid_value');
	}
	if (b.tools != null) {
		if (!Array.isArray(b.tools))
			return badRequest("'tools' must be an array", 'tools', 'invalid_type');
		for (let i = 0; i < b.tools.length; i++) {
			const name = b.tools[i] && b.tools[i].function && b.tools[i].function.name;
			if (typeof name !== 'string' || !name) {
				const message = `Invalid 'tools[${i}]': missing function.name`;
				return badRequest(message, `tools[${i}].function.name`, 'invalid_value');
			}
		}
		const forced = forcedTool(b);
		if (forced && !b.tools.some((/** @type {any} */ t) => t.function.name === forced)) {
			return badRequest(
				`tool_choice names unknown function '${forced}'`,
				'tool_choice',
				'invalid_value',
			);
		}
	}
	return null;
}

/**
 * As OpenAI does: a `tool` message must answer, by `tool_call_id`, a tool call of an earlier assistant
 * message.
 * @param {any[]} messages
 */
function checkToolMessages(messages) {
	const called = new Set();
	for (let i = 0; i < messages.length; i++) {
		const m = messages[i];
		if (m.role === 'assistant' && Array.isArray(m.tool_calls)) {
			for (const call of m.tool_calls) if (call && typeof call.id === 'string') called.add(call.id);
		}
		if (m.role !== 'tool') continue;
		if (typeof m.tool_call_id !== 'string' || !m.tool_call_id) {
			return badRequest(
				`Missing required parameter: 'messages[${i}].tool_call_id'`,
				`messages[${i}].tool_call_id`,
				'missing_required_parameter',
			);
		}
		if (!called.has(m.tool_call_id)) {
			const message =
				"Invalid parameter: messages with role 'tool' must be a response to a preceding message with 'tool_calls'.";
			return badRequest(message, `messages[${i}].role`, 'invalid_value');
		}
	}
	return null;
}

/**
 * The first problem of the router fields of a request, or null.
 * @param {Record<string, any>} b
 */
function checkRouterFields(b) {
	if (b.preference != null && !['speed', 'cost', 'balanced'].includes(b.preference)) {
		return unprocessable('preference', "Input should be 'speed', 'cost' or 'balanced'", 'enum');
	}
	const providers = b.allowed_providers;
	if (
		providers != null &&
		(!Array.isArray(providers) ||
			providers.some((/** @type {unknown} */ p) => typeof p !== 'string'))
	) {
		return unprocessable(
			'allowed_providers',
			'Input should be a valid list of strings',
			'list_type',
		);
	}
	return null;
}

/**
 * The function name `tool_choice` forces, if any.
 * @param {Record<string, any>} b
 * @returns {string|undefined}
 */
function forcedTool(b) {
	return isPlainObject(b.tool_choice) && b.tool_choice.function && b.tool_choice.function.name;
}

/**
 * The provider the router picks for a model under the request's router fields, or the 404 answer when
 * none of its providers is allowed.
 * @param {import('./index').CortecsModel} model
 * @param {Record<string, any>} b
 * @returns {{provider: string} | {status: number, payload: object}}
 */
function chooseProvider(model, b) {
	let providers = model.providers;
	if (Array.isArray(b.allowed_providers)) {
		// Unknown names are ignored simply because they never match; an empty list allows nothing.
		const allowed = new Set(b.allowed_providers);
		providers = providers.filter((p) => allowed.has(p));
	}
	if (b.eu_native === true)
		providers = providers.filter((p) => !NON_EU_NATIVE_PROVIDERS.includes(p));
	if (providers.length === 0) {
		const error = openAiError(
			'Provider not in allowed providers',
			'invalid_request_error',
			'allowed_providers',
			'provider_not_allowed',
		);
		return { status: 404, payload: error };
	}
	// 'cost' picks the last surviving provider only so tests can observe that preference was sent.
	return { provider: b.preference === 'cost' ? providers[providers.length - 1] : providers[0] };
}

/**
 * Validates a parsed chat request. Returns either an error answer or a plan.
 * @param {unknown} body
 * @param {boolean} bodyIsJson
 * @returns {{status: number, payload: object} | {plan: ChatPlan}}
 */
function validateChat(body, bodyIsJson) {
	if (!bodyIsJson || !isPlainObject(body)) {
		return badRequest('Request body must be a JSON object', null, 'invalid_json');
	}
	const b = body;
	const problem = checkOpenAiFields(b) || checkRouterFields(b);
	if (problem) return problem;

	const model = MODEL_BY_ID.get(b.model);
	if (!model) {
		const error = openAiError(
			`Model '${b.model}' not found`,
			'invalid_request_error',
			'model',
			'model_not_found',
		);
		return { status: 404, payload: error };
	}
	const unreadable = modalityProblem(b.messages, model);
	if (unreadable) return unreadable;

	const chosen = chooseProvider(model, b);
	if (!('provider' in chosen)) return chosen;
	const provider = chosen.provider;
	return { plan: { model, provider, body: b } };
}

/**
 * An object that fits a JSON schema's top-level properties, filled from the last user message.
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
			case 'string':
				out[key] = last;
				break;
			case 'number':
			case 'integer':
				out[key] = countWords(last);
				break;
			case 'boolean':
				out[key] = true;
				break;
			case 'array':
				out[key] = [];
				break;
			case 'object':
				out[key] = {};
				break;
			default:
				out[key] = null;
		}
	}
	return out;
}

/**
 * The tools the answer calls: none when tools are off or a tool result came last (as a real model
 * would, so agents finish), else the forced one, all of them with `parallel_tool_calls`, or the first.
 * @param {Record<string, any>} body
 * @returns {any[]}
 */
function toolsToCall(body) {
	const tools = Array.isArray(body.tools) ? body.tools : [];
	const messages = body.messages;
	const lastMessage = messages[messages.length - 1];
	const afterToolResult =
		Boolean(lastMessage && lastMessage.role === 'tool') &&
		(body.tool_choice == null || body.tool_choice === 'auto');
	if (tools.length === 0 || body.tool_choice === 'none' || afterToolResult) return [];
	const forced = forcedTool(body);
	if (forced) return tools.filter((/** @type {any} */ t) => t.function.name === forced).slice(0, 1);
	if (body.parallel_tool_calls === true && tools.length >= 2) return tools;
	return tools.slice(0, 1);
}

const SCHEMA_INSTRUCTION =
	/JSON Schema instance your output must adhere to[^`]*```json\s*([\s\S]*?)```/;

/**
 * The JSON schema a system message instructs the answer to fit (LangChain's format instructions), if any.
 * @param {any[]} messages
 * @returns {Record<string, any>|null}
 */
function instructedSchema(messages) {
	for (const m of messages) {
		if (m.role !== 'system') continue;
		const match = SCHEMA_INSTRUCTION.exec(textOf(m.content));
		if (!match) continue;
		try {
			const schema = JSON.parse(match[1]);
			if (isPlainObject(schema)) return schema;
		} catch {
			// not a schema: answer as usual
		}
	}
	return null;
}

/**
 * The contents of the tool messages the conversation ends with.
 * @param {any[]} messages
 * @returns {string[]}
 */
function trailingToolResults(messages) {
	const results = [];
	for (let i = messages.length - 1; i >= 0 && messages[i].role === 'tool'; i--)
		results.unshift(textOf(messages[i].content));
	return results;
}

/**
 * The text content of choice `index`: the echo (or JSON for `response_format`), or in the 'demo' style
 * an answer that shows the request's purpose (demo.js; demo-files.js when the last user message carries
 * files), cut at the first stop sequence and at `max_tokens` words.
 * @param {Record<string, any>} body
 * @param {string} last
 * @param {number} index
 * @param {'echo'|'demo'} style
 * @param {ReturnType<typeof filesOf>} files the files of the last user message (demo style only)
 * @returns {{content: string, finish: string}}
 */
function textAnswer(body, last, index, style, files) {
	const format = isPlainObject(body.response_format) ? body.response_format.type : undefined;
	const suffix = index > 0 ? ` (#${index + 1})` : '';
	/** @param {Record<string, any>} schema */
	const fill = (schema) =>
		style !== 'demo'
			? objectFromSchema(schema, last)
			: files.length
				? demoFiles.objectFor(schema, files)
				: demo.objectFor(schema, last);
	let content;
	if (format === 'json_object') content = JSON.stringify({ echo: last });
	else if (format === 'json_schema') {
		const jsonSchema = body.response_format.json_schema;
		content = JSON.stringify(fill(jsonSchema && jsonSchema.schema));
	} else if (instructedSchema(body.messages)) {
		// A prompt that asks for JSON that fits a schema (LangChain's structured output instructions, as
		// n8n's Information Extractor and Structured Output Parser send them) gets it, as a good model's would.
		content = '```json\n' + JSON.stringify(fill(instructedSchema(body.messages))) + '\n```';
	} else if (style === 'demo')
		content = (files.length ? demoFiles.answerText(files) : demo.answerText(body, last)) + suffix;
	else {
		content = 'Echo: ' + last + suffix;
		// After tool calls, the answer uses their results, as a real model's would.
		const results = trailingToolResults(body.messages);
		if (results.length) content += `\nTool results: ${results.join(' | ')}`;
	}

	const stops =
		typeof body.stop === 'string'
			? [body.stop]
			: Array.isArray(body.stop)
				? body.stop.filter((/** @type {unknown} */ s) => typeof s === 'string' && s)
				: [];
	let cut = -1;
	for (const s of stops) {
		const at = content.indexOf(s);
		if (at !== -1 && (cut === -1 || at < cut)) cut = at;
	}
	if (cut !== -1) content = content.slice(0, cut);

	let finish = 'stop';
	const maxTokens = body.max_tokens ?? body.max_completion_tokens;
	if (maxTokens != null) {
		const words = content.match(/\S+/g) || [];
		if (words.length > maxTokens) {
			content = words.slice(0, maxTokens).join(' ');
			finish = 'length';
		}
	}
	return { content, finish };
}

/**
 * usage for the token counts, with the cost fields in micro-EUR when `includeCost`.
 * @param {import('./index').CortecsModel} model
 * @param {number} promptTokens
 * @param {number} completionTokens
 * @param {number} reasoningTokens
 * @param {boolean} includeCost
 */
function usageOf(model, promptTokens, completionTokens, reasoningTokens, includeCost) {
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
	return usage;
}

/**
 * Builds the full chat.completion object for a validated request.
 * @param {ChatPlan} plan
 * @param {ServerCounters} counters
 * @param {boolean} includeCost
 * @param {'echo'|'demo'} [style]
 */
function buildCompletion(plan, counters, includeCost, style = 'echo') {
	const { body, model } = plan;
	const messages = /** @type {any[]} */ (body.messages);

	let last = '';
	let lastUser = null;
	let promptTokens = 0;
	for (const m of messages) {
		const text = textOf(m.content);
		promptTokens += countWords(text) + 1;
		if (m.role === 'user') [last, lastUser] = [text, m];
	}
	const files = style === 'demo' && lastUser ? filesOf([lastUser]) : [];

	const n = body.n ?? 1;
	const calledTools = toolsToCall(body);
	const effort = body.reasoning_effort;
	const reasoning =
		model.supported_features.includes('reasoning') || (effort != null && effort !== '')
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
		if (calledTools.length > 0) {
			message.tool_calls = calledTools.map((/** @type {any} */ t) => {
				const args = JSON.stringify(
					style === 'demo' ? demo.toolArguments(t, last) : { input: last },
				);
				completionTokens += countWords(args);
				const id = `call_${++counters.toolCall}`;
				return { id, type: 'function', function: { name: t.function.name, arguments: args } };
			});
			finish = 'tool_calls';
		} else {
			const answer = textAnswer(body, last, i, style, files);
			message.content = answer.content;
			finish = answer.finish;
			completionTokens += countWords(answer.content);
		}
		let logprobs = null;
		if (body.logprobs && typeof message.content === 'string') {
			const words = message.content.match(/\S+/g) || [];
			const content = words.map((w, k) => ({
				token: w,
				logprob: -((k % 5) + 1) / 100,
				bytes: null,
				top_logprobs: [],
			}));
			logprobs = { content };
		}
		choices.push({ index: i, message, logprobs, finish_reason: finish });
	}
	// Reasoning tokens are billed output, so (as with OpenAI) they are part of completion_tokens.
	completionTokens += reasoningTokens;

	counters.completion++;
	return {
		id: 'chatcmpl-' + String(counters.completion).padStart(8, '0'),
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: model.id,
		choices,
		usage: usageOf(model, promptTokens, completionTokens, reasoningTokens, includeCost),
	};
}

module.exports = { validateChat, buildCompletion, chooseProvider, checkRouterFields };
