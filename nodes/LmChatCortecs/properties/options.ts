import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { chatOptions } from '../../Cortecs/descriptions/chat/complete.operation';
import { throughputOptions } from '../../Cortecs/descriptions/throughput';

const optionOf = (collection: INodeProperties, name: string) =>
	(collection.options as INodeProperties[]).find((o) => o.name === name) as INodeProperties;

/** An option of the Cortecs node as the chat model shows it: no routing (settings.ts sends it). */
function shared(name: string, change: Partial<INodeProperties> = {}): INodeProperties {
	const option = { ...optionOf(chatOptions, name), ...change };
	delete option.routing;
	return option;
}

const MAX_RETRIES = optionOf(throughputOptions, 'maxRetries').default;
const TIMEOUT_SECONDS = optionOf(throughputOptions, 'timeout').default;

const responseFormat = optionOf(chatOptions, 'responseFormat');

/**
 * The chat model's options: the Cortecs node's (same names, ranges and API fields), and how long and how
 * often one request is tried, with the Cortecs node's defaults. Each is sent only when the user adds it.
 */
export const options: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		shared('frequencyPenalty'),
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			default: MAX_RETRIES,
			typeOptions: { minValue: 0, maxValue: 10, numberPrecision: 0 },
			description:
				'How often a request is sent again after a 429, 5xx or network error before the node fails',
		},
		shared('maxTokens'),
		shared('presencePenalty'),
		shared('reasoningEffort'),
		shared('responseFormat', {
			// JSON Schema needs a schema field; n8n's Structured Output Parser and Information Extractor do that job here.
			options: (responseFormat.options as INodePropertyOptions[]).filter(
				(o) => o.value !== 'json_schema',
			),
			description: 'JSON Object: any valid JSON object (say "JSON" in the prompt)',
		}),
		shared('seed'),
		shared('stop'),
		shared('temperature'),
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			default: TIMEOUT_SECONDS,
			typeOptions: { minValue: 1 },
			description:
				'How long one request may take. Reasoning models can think for minutes, hence the long default.',
		},
		shared('topP'),
	],
};
