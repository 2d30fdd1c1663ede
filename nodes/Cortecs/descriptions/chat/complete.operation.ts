import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { body, modelField as model } from '../shared';
import { KNOWN_PROVIDERS } from './providers';

const modelField: INodeProperties = {
	...model(
		'searchModels',
		'mistral-small-2503',
		'The model to run. The list is the live Cortecs catalogue with prices per 1M tokens.',
	),
	routing: body('model'),
};

const messageFields: INodeProperties[] = [
	{
		// This field, Messages and Messages (JSON) are sent by buildChatRequest (shared/chatRequest.ts).
		displayName: 'Messages Input',
		name: 'messagesMode',
		type: 'options',
		noDataExpression: true,
		default: 'list',
		options: [
			{
				name: 'Message List',
				value: 'list',
				description: 'Write the messages here, one row each',
			},
			{
				name: 'JSON',
				value: 'json',
				description:
					'A whole messages array, e.g. conversation history from an earlier node (tool messages included)',
			},
		],
	},
	{
		displayName: 'Messages',
		name: 'messages',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Message',
		default: { message: [{ role: 'user', content: '' }] },
		displayOptions: { show: { messagesMode: ['list'] } },
		options: [
			{
				displayName: 'Message',
				name: 'message',
				values: [
					{
						displayName: 'Role',
						name: 'role',
						type: 'options',
						default: 'user',
						options: [
							{
								name: 'Assistant',
								value: 'assistant',
								description: 'An earlier answer of the model',
							},
							{
								name: 'System',
								value: 'system',
								description: 'Instructions that shape every answer',
							},
							{ name: 'User', value: 'user', description: 'What the user asks' },
						],
					},
					{
						displayName: 'Content',
						name: 'content',
						type: 'string',
						default: '',
						typeOptions: { rows: 3 },
					},
					{
						// Sent as content parts after the text by shared/files.ts.
						displayName: 'Files',
						name: 'files',
						type: 'string',
						default: '',
						placeholder: 'data',
						description:
							'User messages only. Binary properties of the input item to send with the text, comma-separated (most nodes name their file "data"), and https:// image URLs. Images and PDFs need a model that reads them; text files are inlined.',
					},
				],
			},
		],
	},
	{
		displayName: 'Messages (JSON)',
		name: 'messagesJson',
		type: 'json',
		default: '[\n  { "role": "user", "content": "Hello" }\n]',
		required: true,
		displayOptions: { show: { messagesMode: ['json'] } },
		description:
			'An array of OpenAI-style messages: {"role": "system" | "user" | "assistant" | "tool", "content": ...}. Use an expression that reads the messages of an earlier item to continue a conversation.',
	},
];

export const chatOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Frequency Penalty',
			name: 'frequencyPenalty',
			type: 'number',
			default: 0,
			typeOptions: { minValue: -2, maxValue: 2, numberPrecision: 2 },
			description: 'From -2 to 2. Positive values make the model repeat itself less.',
			routing: body('frequency_penalty'),
		},
		{
			// Sent inside each image part by shared/files.ts.
			displayName: 'Image Detail',
			name: 'imageDetail',
			type: 'options',
			default: 'auto',
			options: [
				{ name: 'Auto', value: 'auto' },
				{ name: 'Low', value: 'low', description: 'Fewer tokens: a small version of the image' },
				{ name: 'High', value: 'high', description: 'More tokens: the image in detail' },
			],
			description: 'How closely the model looks at the images in Files (sent only when set)',
		},
		{
			displayName: 'Log Probabilities',
			name: 'logprobs',
			type: 'boolean',
			default: false,
			description: 'Whether to return the log probabilities of the output tokens',
			routing: body('logprobs'),
		},
		{
			// Checked by shared/files.ts before anything is sent.
			displayName: 'Max File Size (MB)',
			name: 'maxFileSize',
			type: 'number',
			default: 20,
			typeOptions: { minValue: 0.01, numberPrecision: 2 },
			description:
				'The largest file in Files the node sends; a larger one fails its item. Providers accept about 20 MB per image.',
		},
		{
			displayName: 'Max Tokens',
			name: 'maxTokens',
			type: 'number',
			default: 1024,
			typeOptions: { minValue: 1, numberPrecision: 0 },
			description:
				'The most tokens to generate. Prompt plus answer must fit the model’s context size.',
			routing: body('max_tokens'),
		},
		{
			displayName: 'Number of Choices',
			name: 'n',
			type: 'number',
			default: 1,
			typeOptions: { minValue: 1, maxValue: 128, numberPrecision: 0 },
			description: 'How many alternative answers to generate; each becomes its own output item',
			routing: body('n'),
		},
		{
			displayName: 'Parallel Tool Calls',
			name: 'parallelToolCalls',
			type: 'boolean',
			default: true,
			description: 'Whether the model may call several tools at once',
			routing: body('parallel_tool_calls'),
		},
		{
			displayName: 'Prediction',
			name: 'prediction',
			type: 'json',
			default: '',
			placeholder: '{ "type": "content", "content": "the text you expect back" }',
			description:
				'Predicted output ({"type": "content", "content": "..."}) that speeds up answers which mostly repeat known text',
			routing: body('prediction'),
		},
		{
			displayName: 'Presence Penalty',
			name: 'presencePenalty',
			type: 'number',
			default: 0,
			typeOptions: { minValue: -2, maxValue: 2, numberPrecision: 2 },
			description: 'From -2 to 2. Positive values make the model move to new topics.',
			routing: body('presence_penalty'),
		},
		{
			displayName: 'Reasoning Effort',
			name: 'reasoningEffort',
			type: 'options',
			default: 'medium',
			options: [
				{ name: 'Low', value: 'low' },
				{ name: 'Medium', value: 'medium' },
				{ name: 'High', value: 'high' },
			],
			description: 'How hard a reasoning model thinks before answering (forwarded to the provider)',
			routing: body('reasoning_effort'),
		},
		{
			displayName: 'Response Format',
			name: 'responseFormat',
			type: 'options',
			default: 'text',
			options: [
				{ name: 'Text', value: 'text' },
				{ name: 'JSON Object', value: 'json_object', description: 'Any valid JSON object' },
				{
					name: 'JSON Schema',
					value: 'json_schema',
					description: 'JSON that follows the schema in the Response JSON Schema option',
				},
			],
			description: 'JSON formats also return the answer parsed, as "parsed"',
			routing: body('response_format'),
		},
		{
			// Sent inside response_format by buildChatRequest (shared/chatRequest.ts).
			// Named so that n8n's alphabetical order (a lint rule) puts it right after Response Format.
			displayName: 'Response JSON Schema',
			name: 'jsonSchema',
			type: 'json',
			default: '{\n  "type": "object",\n  "properties": {},\n  "required": []\n}',
			description:
				'Used when Response Format is JSON Schema: a JSON Schema, or the JSON {"name", "schema", "strict"} as OpenAI expects',
		},
		{
			displayName: 'Safe Prompt',
			name: 'safePrompt',
			type: 'boolean',
			default: false,
			description: 'Whether to inject a safety prompt before the conversation',
			routing: body('safe_prompt'),
		},
		{
			displayName: 'Seed',
			name: 'seed',
			type: 'number',
			default: 0,
			typeOptions: { numberPrecision: 0 },
			description: 'A fixed seed for answers that are as reproducible as the provider allows',
			routing: body('seed'),
		},
		{
			displayName: 'Stop Sequences',
			name: 'stop',
			type: 'string',
			typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Stop Sequence' },
			default: '',
			description: 'The model stops before writing any of these',
			routing: body('stop'),
		},
		{
			displayName: 'Stream',
			name: 'stream',
			type: 'boolean',
			default: false,
			description:
				'Whether to receive the answer as server-sent events. The node still outputs one finished item per choice.',
			routing: body('stream'),
		},
		{
			displayName: 'Temperature',
			name: 'temperature',
			type: 'number',
			default: 0.7,
			typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
			description: 'From 0 to 2. Higher values make answers more random.',
			routing: body('temperature'),
		},
		{
			displayName: 'Tool Choice',
			name: 'toolChoice',
			type: 'options',
			default: 'auto',
			options: [
				{ name: 'Auto', value: 'auto', description: 'The model decides' },
				{ name: 'None', value: 'none', description: 'Never call a tool' },
				{ name: 'Required', value: 'required', description: 'Always call a tool' },
			],
			description: 'Whether the model must, may or must not call one of the Tools',
			routing: body('tool_choice'),
		},
		{
			displayName: 'Tools',
			name: 'tools',
			type: 'json',
			default: '',
			placeholder:
				'[{ "type": "function", "function": { "name": "get_weather", "parameters": { "type": "object", "properties": { "city": { "type": "string" } } } } }]',
			description:
				'Functions the model may call, as an OpenAI tools array. Calls come back in tool_calls with parsed arguments.',
			routing: body('tools'),
		},
		{
			displayName: 'Top P',
			name: 'topP',
			type: 'number',
			default: 1,
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			description: 'From 0 to 1. Nucleus sampling; change this or Temperature, not both.',
			routing: body('top_p'),
		},
	],
};

export const chatRouterOptions: INodeProperties = {
	displayName: 'Routing',
	name: 'routerOptions',
	type: 'collection',
	placeholder: 'Add Routing Option',
	default: {},
	description: 'How the Cortecs router picks the provider that serves the request',
	options: [
		{
			displayName: 'Allow Quantization',
			name: 'allowQuantization',
			type: 'boolean',
			default: true,
			description: 'Whether quantized endpoints may serve the request',
			routing: body('allow_quantization'),
		},
		{
			displayName: 'Allow Zero Data Retention Only',
			name: 'allowZeroDataRetention',
			type: 'boolean',
			default: false,
			description: 'Whether to use only providers that retain no data',
			routing: body('allow_zero_data_retention'),
		},
		{
			displayName: 'Allowed Provider Names or IDs',
			name: 'allowedProviders',
			type: 'multiOptions',
			default: [],
			options: KNOWN_PROVIDERS.map((provider) => ({ name: provider, value: provider })),
			description:
				'Only these providers may serve the request. For a provider not listed, use an expression: a list or a comma-separated string. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			routing: body('allowed_providers'),
		},
		{
			displayName: 'Enable Model Fallback',
			name: 'enableModelFallback',
			type: 'boolean',
			default: true,
			description:
				'Whether the router may fall back to a related model on outages, timeouts or rate limits',
			routing: body('enable_model_fallback'),
		},
		{
			displayName: 'EU Native',
			name: 'euNative',
			type: 'boolean',
			default: false,
			description: 'Whether to use only providers based and regulated in the EU',
			routing: body('eu_native'),
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
			routing: body('preference'),
		},
	],
};

export const description = updateDisplayOptions(
	{ show: { resource: ['chat'], operation: ['complete'] } },
	[modelField, ...messageFields, chatOptions, chatRouterOptions],
);
