import type { INodeProperties } from 'n8n-workflow';

import { throughputRouting } from '../../shared/routing';
import { toModelItems } from '../../shared/output';
import * as getAll from './getAll.operation';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['model'] } },
		default: 'getAll',
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many models',
				description: 'List the model catalogue with prices, context sizes, features and providers',
				// FastAPI reads repeated keys (?tag=A&tag=B); tag[]= would be ignored.
				routing: throughputRouting(
					{ method: 'GET', url: '/models', arrayFormat: 'repeat' },
					toModelItems,
				),
			},
		],
	},
	...getAll.description,
];
