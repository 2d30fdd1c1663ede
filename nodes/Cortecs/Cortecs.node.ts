import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as chat from './descriptions/chat/Chat.resource';
import * as embedding from './descriptions/embedding/Embedding.resource';
import * as model from './descriptions/model/Model.resource';
import { simplifyOutput } from './descriptions/simplify';
import { throughputOptions } from './descriptions/throughput';
import { searchEmbeddingModels, searchModels } from './listSearch/searchModels';
import { DEFAULT_BASE_URL } from './shared/baseUrl';

export class Cortecs implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cortecs',
		name: 'cortecs',
		icon: { light: 'file:../../icons/cortecs.svg', dark: 'file:../../icons/cortecs.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ { complete: "Message a model", create: "Create embeddings", getAll: "Get many models" }[$parameter["operation"]] }}',
		description:
			'Chat completions and embeddings through the Cortecs EU LLM router: routed by speed, cost or compliance',
		defaults: { name: 'Cortecs' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cortecsApi', required: true }],
		requestDefaults: {
			// The credential's Base URL is set once per run by the Throughput loop; an expression here would
			// be evaluated for every item.
			baseURL: DEFAULT_BASE_URL,
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
			// Errors are read from the full response by throwOnApiError, which keeps the API's own message.
			ignoreHttpStatusErrors: true,
			// n8n-core re-adds the Authorization header when a redirect leads to another origin (its
			// default, for backwards compatibility): the API key must only ever go to the Base URL.
			sendCredentialsOnCrossOriginRedirect: false,
		},
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				default: 'chat',
				options: [
					{ name: 'Chat', value: 'chat' },
					{ name: 'Embedding', value: 'embedding' },
					{ name: 'Model', value: 'model' },
				],
			},
			...chat.description,
			...embedding.description,
			...model.description,
			simplifyOutput,
			throughputOptions,
		],
	};

	methods = {
		listSearch: { searchModels, searchEmbeddingModels },
	};
}
