import type { INodeProperties } from 'n8n-workflow';

import { buildChatRequest } from '../../shared/chatRequest';
import { throughputRouting } from '../../shared/routing';
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
				routing: throughputRouting({ method: 'POST', url: '/chat/completions' }, toChatItems, [
					buildChatRequest,
				]),
			},
		],
	},
	...complete.description,
];
