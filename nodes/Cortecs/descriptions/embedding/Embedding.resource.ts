import type { INodeProperties } from 'n8n-workflow';

import { embeddingPagination } from '../../shared/embeddingBatches';
import { throwOnApiError } from '../../shared/errors';
import { toEmbeddingAnswer } from '../../shared/embeddingOutput';
import * as create from './create.operation';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['embedding'] } },
		default: 'create',
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create embeddings',
				description: 'Turn each item’s text into a vector, many items per request',
				// Not throughputRouting: the hook batches the texts of many items into one request, then sends
				// it through the same Throughput loop.
				routing: {
					request: { method: 'POST', url: '/embeddings' },
					send: { paginate: true },
					operations: { pagination: embeddingPagination },
					output: { postReceive: [throwOnApiError, toEmbeddingAnswer] },
				},
			},
		],
	},
	...create.description,
];
