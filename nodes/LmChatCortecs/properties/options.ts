import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { chatOptions } from '../../Cortecs/descriptions/chat/complete.operation';
import {
	maxRetriesOption,
	timeoutOption,
	withoutRouting,
} from '../../Cortecs/descriptions/subNodes';
import { optionOf } from '../../Cortecs/shared/labels';

/** An option of the Cortecs node as the chat model shows it (settings.ts sends it). */
const shared = (name: string, change: Partial<INodeProperties> = {}) =>
	withoutRouting(optionOf(chatOptions, name)!, change);

const responseFormat = optionOf(chatOptions, 'responseFormat')!;

/**
 * The chat model's options: the Cortecs node's (same names, ranges and API fields), and how long and how
 * often one request is tried, with the Cortecs node's defaults. Each is sent only when the user adds it.
 */
export const options = withoutRouting(chatOptions, {
	options: [
		shared('frequencyPenalty'),
		maxRetriesOption,
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
		timeoutOption,
		shared('topP'),
	],
});
