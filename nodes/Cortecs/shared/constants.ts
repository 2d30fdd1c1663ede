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

/**
 * Waits between attempts of one item. Without Retry-After: exponential, base * 2^attempt capped at
 * capMs, with "equal jitter" (a random wait between half and all of it), so items that failed together
 * do not come back together. A Retry-After (seconds or HTTP date) is waited as given, up to
 * retryAfterCapMs.
 */
export const BACKOFF = { baseMs: 500, capMs: 30_000, retryAfterCapMs: 120_000 };

/**
 * The run's limiter lowers its window by one request per 429/503 and raises it again by one after this
 * long (or the Retry-After, if longer) without another, never above Max Concurrent Requests.
 */
export const LIMITER = { regrowAfterMs: 2_000 };

/**
 * The starts of a run's requests are spaced by the shortest recent answer time shared by the window
 * (20 ms answers with 8 in flight: 2.5 ms), but never more than maxGapMs apart, and maxGapMs until the
 * first answer is in. See Pacer for why; bench/RESULTS.md for how the number was chosen.
 */
export const PACING = { maxGapMs: 5 };

export const MICRO_EUR_PER_EUR = 1_000_000;
