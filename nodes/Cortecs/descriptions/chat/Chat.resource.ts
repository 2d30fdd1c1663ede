import type { INodeProperties } from 'n8n-workflow';

import { validateChatRequest } from '../../shared/validation';
import { sendWithLimits } from '../../shared/transport';
import { throwOnApiError } from '../../shared/errors';
import { toChatItems } from '../../shared/output';
import * as complete from './complete.operation';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['chat'] } },
		default: 'complete',
		options: [
			{
				name: 'Complete',
				value: 'complete',
				action: 'Message a model',
				description: 'Send messages to a model and get its answer',
				routing: {
					request: { method: 'POST', url: '/chat/completions' },
					send: { preSend: [validateChatRequest], paginate: true },
					operations: { pagination: sendWithLimits },
					output: { postReceive: [throwOnApiError, toChatItems] },
				},
			},
		],
	},
	...complete.description,
];
