import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { MODEL_TAGS } from '../../shared/catalogue';

const properties: INodeProperties[] = [
	{
		displayName: 'Tags',
		name: 'tags',
		type: 'multiOptions',
		default: [],
		options: MODEL_TAGS.map((tag) => ({ name: tag, value: tag })),
		description:
			'Only models that have every chosen tag. None chosen: the API’s default, Instruct models.',
		routing: { send: { type: 'query', property: 'tag' } },
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'options',
		default: 'EUR',
		options: [
			{ name: 'EUR', value: 'EUR' },
			{ name: 'USD', value: 'USD' },
		],
		description: 'The currency of the prices',
		routing: { send: { type: 'query', property: 'currency' } },
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		displayOptions: { show: { returnAll: [false] } },
		description: 'Max number of results to return',
		routing: { output: { maxResults: '={{ $value }}' } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['model'], operation: ['getAll'] } },
	properties,
);
