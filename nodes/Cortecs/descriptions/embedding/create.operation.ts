import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { chatRouterOptions } from '../chat/complete.operation';
import { body, modelField as model } from '../shared';

/** The most texts one request may carry: OpenAI's documented limit; Cortecs documents none. */
const MAX_BATCH_SIZE = 2048;

export const embeddingModelField: INodeProperties = {
	...model(
		'searchEmbeddingModels',
		'multilingual-e5-large',
		'The embedding model. The list is the live Cortecs catalogue of models tagged Embedding, with prices per 1M tokens.',
	),
	routing: body('model'),
};

const textField: INodeProperties = {
	displayName: 'Text',
	name: 'text',
	type: 'string',
	default: '',
	required: true,
	typeOptions: { rows: 2 },
	placeholder: 'e.g. {{ $json.text }}',
	description:
		'The text to embed, usually an expression on the item. The texts of many items go out in one request (Options → Batch Size); each item gets its own vector.',
	routing: body('input'),
};

export const embeddingOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Batch Size',
			name: 'batchSize',
			type: 'number',
			default: 100,
			typeOptions: { minValue: 1, maxValue: MAX_BATCH_SIZE, numberPrecision: 0 },
			description:
				'How many items’ texts go out in one request (at most 2048). A failed request fails all the items it carried; lower this if the API rejects requests as too large.',
		},
		{
			displayName: 'Encoding Format',
			name: 'encodingFormat',
			type: 'options',
			default: 'float',
			options: [
				{ name: 'Float', value: 'float', description: 'Vectors as JSON numbers' },
				{
					name: 'Base64',
					value: 'base64',
					description: 'Vectors packed as base64 float32 (smaller answers); the node unpacks them',
				},
			],
			description: 'How the API sends the vectors. The output is an array of numbers either way.',
			routing: body('encoding_format'),
		},
		{
			displayName: 'Include Input Text',
			name: 'includeInput',
			type: 'boolean',
			default: false,
			description: 'Whether to add the text that was embedded to the output, as "input"',
		},
	],
};

const fallbacksField: INodeProperties = {
	displayName: 'Fallback Models',
	name: 'fallbacks',
	type: 'string',
	typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Fallback Model' },
	default: '',
	placeholder: 'e.g. mistral-embed',
	description:
		'Embedding models the router may use, in this order, when the chosen one cannot serve. Vectors of different models are not comparable: use models of the same family.',
	routing: body('fallbacks'),
};

/** The router fields /embeddings takes: those of chat, with an explicit fallback list instead of the switch. */
export const embeddingRouterOptions: INodeProperties = {
	...chatRouterOptions,
	options: [
		...(chatRouterOptions.options as INodeProperties[]).filter(
			(o) => o.name !== 'enableModelFallback',
		),
		fallbacksField,
	].sort((a, b) => a.displayName.localeCompare(b.displayName)),
};

export const description = updateDisplayOptions(
	{ show: { resource: ['embedding'], operation: ['create'] } },
	[embeddingModelField, textField, embeddingOptions, embeddingRouterOptions],
);
