/**
 * Every Routing field of the embeddings set as a user sets them (Embedding → Create and the Cortecs
 * Embeddings sub-node show the same fields), and as the API receives them: under their API names, with the
 * empty fallback row dropped.
 */
const ROUTER_SET = {
	preference: 'cost',
	allowedProviders: ['ionos', 'scaleway'],
	euNative: true,
	allowQuantization: false,
	allowZeroDataRetention: true,
	fallbacks: ['mistral-embed', ''],
};

const ROUTER_SENT = {
	preference: 'cost',
	allowed_providers: ['ionos', 'scaleway'],
	eu_native: true,
	allow_quantization: false,
	allow_zero_data_retention: true,
	fallbacks: ['mistral-embed'],
};

module.exports = { ROUTER_SET, ROUTER_SENT };
