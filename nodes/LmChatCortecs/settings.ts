import type { IDataObject, INode } from 'n8n-workflow';

import { chatOptions, chatRouterOptions } from '../Cortecs/descriptions/chat/complete.operation';
import { checkedJsonSchema, jsonSchemaFormat } from '../Cortecs/shared/chatRequest';
import { checkedNumber, textList } from '../Cortecs/shared/fieldChecks';
import { apiFieldOf, optionOf } from '../Cortecs/shared/labels';
import { attemptLimits, routerFields } from '../Cortecs/shared/subNodeSettings';
import { options as optionsCollection } from './properties/options';

/** How the chat model sends: checked once, when the root node asks for the sub-node. */
export interface ChatModelSettings {
	/** Every request body but the messages and tools: the model, the options and router fields set. */
	body: IDataObject;
	/** Milliseconds. */
	timeout: number;
	maxRetries: number;
}

/**
 * The sub-node's parameters as the request body every call of the model starts from: the model, every
 * option the user set and every router field, under the API names the Cortecs node sends them as (the
 * Response JSON Schema as the Cortecs node sends it). The timeout and retries always apply, with the
 * Cortecs node's defaults (long enough for reasoning).
 */
export function chatModelSettings(
	node: INode,
	model: string,
	options: IDataObject,
	router: IDataObject,
): ChatModelSettings {
	const body: IDataObject = { model };
	for (const [name, value] of Object.entries(options)) {
		// Numbers and lists are checked even when an expression found nothing, as in the Cortecs node.
		const option = optionOf(chatOptions, name);
		const field = apiFieldOf(chatOptions, name);
		if (!option || !field) {
			continue;
		} else if (option.type === 'number') {
			body[field] = checkedNumber(node, chatOptions, name, value);
		} else if (name === 'stop') {
			const stop = textList(node, chatOptions, name, value, 'texts');
			if (stop) body[field] = stop;
		} else if (name === 'responseFormat' && value === 'json_schema') {
			body[field] = jsonSchemaFormat(checkedJsonSchema(node, options.jsonSchema));
		} else if (value !== undefined) {
			body[field] = name === 'responseFormat' ? { type: value } : value;
		}
	}
	Object.assign(body, routerFields(node, chatRouterOptions, router));
	return { body, ...attemptLimits(node, optionsCollection, options) };
}
