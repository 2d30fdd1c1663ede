import type { INodeProperties } from 'n8n-workflow';

import { DELIVERY_DEFAULTS } from '../../Cortecs/shared/constants';

const { maxRetries, timeoutSeconds } = DELIVERY_DEFAULTS;

/** The model's options; each is sent only when the user adds it (see settings.ts for the API fields). */
export const options: INodeProperties = {
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
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			default: maxRetries,
			typeOptions: { minValue: 0, maxValue: 10 },
			description:
				'How often a failed request (429, 5xx, network error) is tried again before the node fails',
		},
		{
			displayName: 'Max Tokens',
			name: 'maxTokens',
			type: 'number',
			default: 1024,
			typeOptions: { minValue: 1 },
			description: 'The most tokens to generate. Prompt plus answer must fit the model’s context size.',
		},
		{
			displayName: 'Presence Penalty',
			name: 'presencePenalty',
			type: 'number',
			default: 0,
			typeOptions: { minValue: -2, maxValue: 2, numberPrecision: 2 },
			description: 'From -2 to 2. Positive values make the model move to new topics.',
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
		},
		{
			displayName: 'Response Format',
			name: 'responseFormat',
			type: 'options',
			default: 'text',
			options: [
				{ name: 'Text', value: 'text' },
				{
					name: 'JSON Object',
					value: 'json_object',
					description: 'Any valid JSON object. Say in the prompt that the answer is JSON.',
				},
			],
		},
		{
			displayName: 'Seed',
			name: 'seed',
			type: 'number',
			default: 0,
			description: 'A fixed seed for answers that are as reproducible as the provider allows',
		},
		{
			displayName: 'Stop Sequences',
			name: 'stop',
			type: 'string',
			typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Stop Sequence' },
			default: [],
			description: 'The model stops before writing any of these',
		},
		{
			displayName: 'Temperature',
			name: 'temperature',
			type: 'number',
			default: 0.7,
			typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
			description: 'From 0 to 2. Higher values make answers more random.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			default: timeoutSeconds,
			typeOptions: { minValue: 1 },
			description:
				'How long one request may take. Reasoning models can think for minutes, hence the long default.',
		},
		{
			displayName: 'Top P',
			name: 'topP',
			type: 'number',
			default: 1,
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			description: 'From 0 to 1. Nucleus sampling; change this or Temperature, not both.',
		},
	],
};
