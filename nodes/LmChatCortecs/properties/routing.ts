import type { INodeProperties } from 'n8n-workflow';

import { KNOWN_PROVIDERS } from '../../Cortecs/shared/constants';

/** The router fields, sent with every request the model makes (see settings.ts for the API fields). */
export const routerOptions: INodeProperties = {
	displayName: 'Routing',
	name: 'routerOptions',
	type: 'collection',
	placeholder: 'Add Routing Option',
	default: {},
	description: 'How the Cortecs router picks the provider that serves each request of the model',
	options: [
		{
			displayName: 'Allow Quantization',
			name: 'allowQuantization',
			type: 'boolean',
			default: true,
			description: 'Whether quantized endpoints may serve the request',
		},
		{
			displayName: 'Allow Zero Data Retention Only',
			name: 'allowZeroDataRetention',
			type: 'boolean',
			default: false,
			description: 'Whether to use only providers that retain no data',
		},
		{
			displayName: 'Allowed Provider Names or IDs',
			name: 'allowedProviders',
			type: 'multiOptions',
			default: [],
			options: KNOWN_PROVIDERS.map((provider) => ({ name: provider, value: provider })),
			description:
				'Only these providers may serve the request. For a provider not listed, use an expression: a list or a comma-separated string. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'Enable Model Fallback',
			name: 'enableModelFallback',
			type: 'boolean',
			default: true,
			description:
				'Whether the router may fall back to a related model on outages, timeouts or rate limits',
		},
		{
			displayName: 'EU Native',
			name: 'euNative',
			type: 'boolean',
			default: false,
			description: 'Whether to use only providers based and regulated in the EU',
		},
		{
			displayName: 'Preference',
			name: 'preference',
			type: 'options',
			default: 'balanced',
			options: [
				{ name: 'Balanced', value: 'balanced' },
				{ name: 'Cost', value: 'cost', description: 'The cheapest provider' },
				{ name: 'Speed', value: 'speed', description: 'The fastest provider' },
			],
		},
	],
};
