import type { INodeProperties } from 'n8n-workflow';

/**
 * Shown for every operation: they all go through the same limiter and retry loop (shared/throughput.ts),
 * which reads these defaults from here when an option is not set.
 */
export const throughputOptions: INodeProperties = {
	displayName: 'Throughput',
	name: 'throughput',
	type: 'collection',
	placeholder: 'Add Setting',
	default: {},
	options: [
		{
			displayName: 'Max Concurrent Requests',
			name: 'maxConcurrency',
			type: 'number',
			default: 5,
			typeOptions: { minValue: 0, numberPrecision: 0 },
			description:
				'The most requests this node keeps in flight at once, across all its items. After a 429 or 503 it sends one fewer at a time for a while. 0 means no limit (n8n starts every item at once).',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			default: 2,
			typeOptions: { minValue: 0, maxValue: 10, numberPrecision: 0 },
			description:
				'How often one item is sent again after a 408, 429, 5xx or network error. Waits as long as Retry-After says, else backs off exponentially. Other items are not re-sent.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			// Long generations of reasoning models can take minutes; n8n's own default is 5 minutes.
			default: 600,
			typeOptions: { minValue: 1 },
			description:
				"How long to wait for the answer to one request (for a streamed answer: for its next part) before it counts as failed and is retried. Not set: n8n's Request Options → Timeout if set there, else 600 seconds.",
		},
	],
};
