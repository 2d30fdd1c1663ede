import type { INodeProperties } from 'n8n-workflow';

// Defaults are literals (n8n's lint reads them); test/delivery.test.js checks they equal DELIVERY_DEFAULTS.

/** Shown for every operation: they all go through the same limiter and retry loop (shared/transport.ts). */
export const deliveryOptions: INodeProperties = {
	displayName: 'Concurrency and Retries',
	name: 'delivery',
	type: 'collection',
	placeholder: 'Add Setting',
	default: {},
	options: [
		{
			displayName: 'Max Concurrent Requests',
			name: 'maxConcurrency',
			type: 'number',
			default: 5,
			typeOptions: { minValue: 0 },
			description:
				'The most requests this node keeps in flight at once, across all its items. After a 429 or 503 it sends one fewer at a time for a while. 0 means no limit (n8n starts every item at once).',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			default: 2,
			typeOptions: { minValue: 0, maxValue: 10 },
			description:
				'How often one item is sent again after a 408, 429, 5xx or network error. Waits as long as Retry-After says, else backs off exponentially. Other items are not re-sent.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			default: 600,
			typeOptions: { minValue: 1 },
			description:
				"How long to wait for the answer to one request (for a streamed answer: for its next part) before it counts as failed and is retried. Not set: n8n's Request Options → Timeout if set there, else 600 seconds.",
		},
	],
};

export const simplifyOutput: INodeProperties = {
	displayName: 'Simplify Output',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return compact items (one per choice, or one per model) instead of the raw API response',
};
