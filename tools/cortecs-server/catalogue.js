'use strict';

/**
 * The model catalogue (tools/cortecs-server/models.json) and GET /v1/models filtering.
 *
 * Prices are EUR per 1M tokens, which is the same number as micro-EUR per token, so usage.cost can be
 * computed without unit juggling. `mistral-large-2411` lists non-EU-native providers first, so
 * `eu_native: true` visibly changes the chosen provider.
 */

/** @typedef {import('./index').CortecsModel} CortecsModel */

/** Providers excluded by `eu_native: true` (a small fixed set is enough to observe the filter). */
const NON_EU_NATIVE_PROVIDERS = Object.freeze(['google', 'azure_sc', 'azure_spc']);

/** The tag filter the API applies when the request names none. */
const DEFAULT_TAG = 'Instruct';
const USD_PER_EUR = 1.1;

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
 * Frozen so one test cannot corrupt another.
 * @type {ReadonlyArray<CortecsModel>}
 */
const MODELS = deepFreeze(/** @type {CortecsModel[]} */ (require('./models.json')));

/** @type {Map<string, CortecsModel>} */
const MODEL_BY_ID = new Map(MODELS.map((m) => [m.id, m]));

/** @param {number} x */
function round4(x) {
	return Math.round(x * 1e4) / 1e4;
}

/**
 * The models GET /v1/models lists for a query string: those carrying every requested tag (FastAPI list
 * parsing: only repeated plain `tag` keys count; `tag[]`/`tag[0]` are other keys), priced in USD on
 * `currency=USD`.
 * @param {string} qs
 * @returns {object[]}
 */
function listModels(qs) {
	const params = new URLSearchParams(qs);
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
		if (m.pricing.cache_read_cost !== undefined) {
			pricing.cache_read_cost = round4(m.pricing.cache_read_cost * USD_PER_EUR);
		}
		data.push({ ...m, pricing });
	}
	return data;
}

module.exports = { MODELS, MODEL_BY_ID, NON_EU_NATIVE_PROVIDERS, listModels };
