import type { IDataObject, INode } from 'n8n-workflow';

import { chatOptions, chatRouterOptions } from '../Cortecs/descriptions/chat/complete.operation';
import { checkedNumber, textList } from '../Cortecs/shared/fieldChecks';
import { apiFieldOf, optionOf } from '../Cortecs/shared/labels';
import { attemptLimits, routerFields } from '../Cortecs/shared/subNodeSettings';
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
	router: IDataObject,
): ChatModelSettings {
	const settings: ChatModelSettings = {
		...attemptLimits(node, optionsCollection, options),
		additionalParams: {},
	};
	const body = settings.additionalParams;
	for (const [name, value] of Object.entries(options)) {
		// Numbers and lists are checked even when an expression found nothing, as in the Cortecs node.
		const option = optionOf(chatOptions, name);
		const field = apiFieldOf(chatOptions, name);
		if (name === 'maxTokens') {
			settings.maxTokens = checkedNumber(node, chatOptions, name, value);
		} else if (!option || !field) {
			continue;
		} else if (option.type === 'number') {
			body[field] = checkedNumber(node, chatOptions, name, value);
		} else if (name === 'stop') {
			const stop = textList(node, chatOptions, name, value, 'texts');
			if (stop) body[field] = stop;
		} else if (value !== undefined) {
			body[field] = name === 'responseFormat' ? { type: value } : value;
		}
	}
	Object.assign(body, routerFields(node, chatRouterOptions, router));
	return settings;
}
