import type { IDataObject, INode } from 'n8n-workflow';

import { chatOptions, routingOptions } from '../Cortecs/descriptions/chat/complete.operation';
import { optionOf } from '../Cortecs/descriptions/subNodes';
import { labelOf } from '../Cortecs/shared/labels';
import {
	apiFieldOf,
	attemptLimits,
	checkedNumber,
	routerFields,
	textList,
} from '../Cortecs/shared/subNodeSettings';
import { options as optionsCollection } from './properties/options';

/** What the chat model is built with, besides the model, key and Base URL (n8n's SDK field names). */
export interface ChatModelSettings {
	maxTokens?: number;
	timeout: number;
	maxRetries: number;
	/** Sent as they are, as extra fields of every request body. */
	additionalParams: IDataObject;
}

/**
 * The sub-node's parameters as the settings of n8n's OpenAI-compatible chat model. Every option the user
 * set and every Routing field goes into the request body under the API name the Cortecs node uses for it;
 * Max Tokens goes through the SDK (LangChain's model writes max_tokens itself, after the extra fields).
 * The timeout and retries always apply, with the Cortecs node's defaults (long enough for reasoning).
 */
export function chatModelSettings(
	node: INode,
	options: IDataObject,
	routing: IDataObject,
): ChatModelSettings {
	const label = (name: string) => labelOf(optionsCollection, name);
	const settings: ChatModelSettings = {
		...attemptLimits(node, optionsCollection, options),
		additionalParams: {},
	};
	const body = settings.additionalParams;
	for (const [name, value] of Object.entries(options)) {
		if (value === undefined || name === 'timeout' || name === 'maxRetries') continue;
		if (name === 'maxTokens') {
			settings.maxTokens = checkedNumber(node, optionsCollection, name, value);
		} else if (name === 'stop') {
			const stop = textList(node, label(name), value, false);
			if (stop.length) body[apiFieldOf(chatOptions, name)!] = stop;
		} else if (name === 'responseFormat') {
			body[apiFieldOf(chatOptions, name)!] = { type: value };
		} else {
			const field = apiFieldOf(chatOptions, name);
			if (!field) continue;
			body[field] =
				optionOf(optionsCollection, name)?.type === 'number'
					? checkedNumber(node, optionsCollection, name, value)
					: value;
		}
	}
	Object.assign(body, routerFields(node, routingOptions, routing));
	return settings;
}
