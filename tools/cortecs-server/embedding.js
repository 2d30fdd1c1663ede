'use strict';

/**
 * POST /v1/embeddings as pure functions of the request: validation and provider choice
 * (`validateEmbeddings`), then the answer (`buildEmbeddings`). Vectors are derived from the text alone
 * (`vectorOf`), so tests can compute the exact vector of any text.
 */

const { MODEL_BY_ID } = require('./catalogue');
const { chooseProvider, checkRouterFields } = require('./completion');
const { openAiError } = require('./respond');
const { countWords, isPlainObject } = require('./text');

/** Vector length of every model here (real ones have 768-4096; 8 keeps test expectations readable). */
const DIMENSIONS = 8;

/** OpenAI's documented limit; Cortecs documents none. `maxEmbeddingInputs` changes it per server. */
const DEFAULT_MAX_INPUTS = 2048;

const ENCODING_FORMATS = ['float', 'base64'];

/**
 * @typedef {object} EmbeddingsPlan
 * @property {import('./index').CortecsModel} model
 * @property {string} provider
 * @property {string[]} inputs
 * @property {Record<string, any>} body
 */

/**
 * @param {number} status
 * @param {string} message
 * @param {string|null} param
 * @param {string} code
 */
function reject(status, message, param, code) {
	return { status, payload: openAiError(message, 'invalid_request_error', param, code) };
}

/**
 * The inputs of a request as a list, or the error answer.
 * @param {unknown} input
 * @param {number} maxInputs
 * @returns {{inputs: string[]} | {status: number, payload: object}}
 */
function inputsOf(input, maxInputs) {
	if (input === undefined || input === null) {
		return reject(
			400,
			"Missing required parameter: 'input'",
			'input',
			'missing_required_parameter',
		);
	}
	const inputs = typeof input === 'string' ? [input] : input;
	if (!Array.isArray(inputs) || inputs.length === 0) {
		return reject(
			400,
			"'input' must be a string or a non-empty array of strings",
			'input',
			'invalid_type',
		);
	}
	if (inputs.length > maxInputs) {
		const message = `Request entity too large: at most ${maxInputs} inputs per request, got ${inputs.length}`;
		return reject(413, message, 'input', 'request_too_large');
	}
	for (let i = 0; i < inputs.length; i++) {
		if (typeof inputs[i] !== 'string')
			return reject(400, `'input[${i}]' must be a string`, 'input', 'invalid_type');
		if (inputs[i] === '')
			return reject(400, `'input[${i}]' must not be empty`, 'input', 'invalid_value');
	}
	return { inputs };
}

/**
 * Validates a parsed embeddings request. Returns either an error answer or a plan.
 * @param {unknown} body
 * @param {boolean} bodyIsJson
 * @param {number} [maxInputs]
 * @returns {{status: number, payload: object} | {plan: EmbeddingsPlan}}
 */
function validateEmbeddings(body, bodyIsJson, maxInputs = DEFAULT_MAX_INPUTS) {
	if (!bodyIsJson || !isPlainObject(body))
		return reject(400, 'Request body must be a JSON object', null, 'invalid_json');
	const b = body;
	if (typeof b.model !== 'string' || !b.model) {
		return reject(
			400,
			"Missing required parameter: 'model'",
			'model',
			'missing_required_parameter',
		);
	}
	const checked = inputsOf(b.input, maxInputs);
	if (!('inputs' in checked)) return checked;
	if (b.encoding_format != null && !ENCODING_FORMATS.includes(b.encoding_format)) {
		return reject(
			400,
			"'encoding_format' must be 'float' or 'base64'",
			'encoding_format',
			'invalid_value',
		);
	}
	const routerProblem = checkRouterFields(b);
	if (routerProblem) return routerProblem;
	if (
		b.fallbacks != null &&
		(!Array.isArray(b.fallbacks) ||
			b.fallbacks.some((/** @type {unknown} */ f) => typeof f !== 'string'))
	) {
		return {
			status: 422,
			payload: {
				detail: [
					{
						loc: ['body', 'fallbacks'],
						msg: 'Input should be a valid list of strings',
						type: 'list_type',
					},
				],
			},
		};
	}
	const model = MODEL_BY_ID.get(b.model);
	if (!model) return reject(404, `Model '${b.model}' not found`, 'model', 'model_not_found');
	if (!model.tags.includes('Embedding')) {
		return reject(
			400,
			`Model '${b.model}' is not an embedding model`,
			'model',
			'model_not_supported',
		);
	}
	const chosen = chooseProvider(model, b);
	if (!('provider' in chosen)) return chosen;
	return { plan: { model, provider: chosen.provider, inputs: checked.inputs, body: b } };
}

/** FNV-1a over the UTF-16 code units of a text. @param {string} text */
function hashOf(text) {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h;
}

/**
 * The vector of a text: DIMENSIONS values k/1024 (k from -1024 to 1024) from a xorshift stream seeded by
 * the text's hash. Multiples of 1/1024 are exact in float32, so base64 answers decode to the same numbers.
 * @param {string} text
 * @returns {number[]}
 */
function vectorOf(text) {
	let h = hashOf(text) || 1;
	const vector = [];
	for (let i = 0; i < DIMENSIONS; i++) {
		h ^= h << 13;
		h >>>= 0;
		h ^= h >>> 17;
		h ^= h << 5;
		h >>>= 0;
		vector.push(((h % 2049) - 1024) / 1024);
	}
	return vector;
}

/** Tokens of one input: its words, at least one. @param {string} text */
function tokensOf(text) {
	return Math.max(1, countWords(text));
}

/** @param {number[]} vector */
function base64Of(vector) {
	return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

/**
 * The answer to a validated request, in the shape of the docs' example (`provider` only in the header,
 * as for chat).
 * @param {EmbeddingsPlan} plan
 * @param {{embedding: number}} counters
 * @param {boolean} includeCost
 */
function buildEmbeddings(plan, counters, includeCost) {
	const base64 = plan.body.encoding_format === 'base64';
	const data = plan.inputs.map((text, index) => {
		const vector = vectorOf(text);
		return { index, object: 'embedding', embedding: base64 ? base64Of(vector) : vector };
	});
	const promptTokens = plan.inputs.reduce((sum, text) => sum + tokensOf(text), 0);
	/** @type {Record<string, number>} */
	const usage = { prompt_tokens: promptTokens, completion_tokens: 0, total_tokens: promptTokens };
	if (includeCost) usage.cost = Math.round(promptTokens * plan.model.pricing.input_token);
	counters.embedding = (counters.embedding || 0) + 1;
	return {
		id: 'emb-' + String(counters.embedding).padStart(8, '0'),
		object: 'list',
		created: Math.floor(Date.now() / 1000),
		model: plan.model.id,
		data,
		usage,
	};
}

module.exports = {
	DIMENSIONS,
	DEFAULT_MAX_INPUTS,
	validateEmbeddings,
	buildEmbeddings,
	vectorOf,
	tokensOf,
};
