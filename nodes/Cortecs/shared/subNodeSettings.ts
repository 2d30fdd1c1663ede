import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';

import { numberSetIn, textList } from './fieldChecks';
import { apiFieldOf, optionOf } from './labels';

/**
 * Reading a sub-node's parameters (the Chat Model, the Embeddings): a sub-node has no RoutingNode to send
 * its fields, so it checks them and builds the request fields itself, from the Cortecs node's descriptions.
 */

/** How long and how often one request is tried: the options the user set, else their defaults. */
export function attemptLimits(
	node: INode,
	collection: INodeProperties,
	options: IDataObject,
): { timeout: number; maxRetries: number } {
	return {
		timeout: numberSetIn(node, collection, 'timeout', options) * 1000,
		maxRetries: numberSetIn(node, collection, 'maxRetries', options),
	};
}

/**
 * The router fields the user set (`values`), under the API names the Cortecs node sends them as
 * (`collection`: its Routing collection). Lists (Allowed Providers, Fallback Models) also come as
 * comma-separated text.
 */
export function routerFields(
	node: INode,
	collection: INodeProperties,
	values: IDataObject,
): IDataObject {
	const fields: IDataObject = {};
	for (const [name, value] of Object.entries(values)) {
		const option = optionOf(collection, name);
		const field = apiFieldOf(collection, name);
		if (!option || !field) continue;
		if (option.type === 'multiOptions' || option.typeOptions?.multipleValues) {
			const list = textList(node, collection, name, value, 'names');
			if (list) fields[field] = list;
		} else if (value !== undefined) {
			fields[field] = value;
		}
	}
	return fields;
}
