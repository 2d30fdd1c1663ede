/** Provider names seen on the Cortecs router; offered as suggestions, any other name is allowed. */
export const KNOWN_PROVIDERS = [
	'aki',
	'amazon_ireland',
	'amazon_paris',
	'azure_sc',
	'azure_spc',
	'berget',
	'entrim',
	'google',
	'inceptron',
	'infercom',
	'ionos',
	'mistral',
	'nebius',
	'ovh',
	'scaleway',
	'tensorix',
];

export const DELIVERY_DEFAULTS = {
	maxConcurrency: 5,
	maxRetries: 2,
	// Long generations of reasoning models can take minutes; n8n's own default is 5 minutes.
	timeoutSeconds: 600,
};

/** Backoff when the API gives no Retry-After: base * 2^attempt, with full jitter, capped. */
export const BACKOFF = { baseMs: 500, capMs: 30_000, retryAfterCapMs: 120_000 };

export const MICRO_EUR_PER_EUR = 1_000_000;
