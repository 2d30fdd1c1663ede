import type { INodeProperties } from 'n8n-workflow';

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
			description:
				'JSON Object: any valid JSON object (say "JSON" in the prompt). JSON Schema: JSON that follows the Response JSON Schema; the Structured Output Parser and the Information Extractor work with any format.',
		}),
		shared('jsonSchema'),
		shared('seed'),
		shared('stop'),
		shared('temperature'),
		timeoutOption,
		shared('topP'),
	],
});
