import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { optionOf } from '../descriptions/subNodes';
import { labelOf } from './labels';
import { notAccepted, numberIn, numberRule, rangeText } from './numbers';

/**
 * Reading a sub-node's parameters (the Chat Model, the Embeddings): a sub-node has no RoutingNode to send
 * its fields, so it checks them and builds the request fields itself, from the Cortecs node's descriptions.
 */

/** The API field the Cortecs node sends an option as (its `routing.send.property`). */
export function apiFieldOf(collection: INodeProperties, name: string): string | undefined {
	return optionOf(collection, name)?.routing?.send?.property as string | undefined;
}

export function fail(node: INode, field: string, problem: string, fix: string): never {
	throw new NodeOperationError(node, `${field}: ${problem}`, { description: fix });
}

/** A list of texts from the editor (a list) or an expression (a list or a comma-separated string). */
export function textList(
	node: INode,
	field: string,
	value: unknown,
	splitCommas: boolean,
): string[] {
	let list = value;
	if (typeof list === 'string') list = splitCommas ? list.split(',').map((v) => v.trim()) : [list];
	if (!Array.isArray(list) || list.some((v) => typeof v !== 'string')) {
		fail(node, field, 'not a list of texts', 'Give a list of strings, or remove the option.');
	}
	return (list as string[]).filter((v) => v !== '');
}

/** A number option's value within the range the editor gives it (values from expressions are checked here). */
export function checkedNumber(
	node: INode,
	collection: INodeProperties,
	name: string,
	value: unknown,
): number {
	const rule = numberRule(collection, name);
	const number = numberIn(rule, value);
	if (number === undefined) {
		fail(
			node,
			rule.field,
			notAccepted(rule, value),
			`Set ${rangeText(rule)}, or remove the option.`,
		);
	}
	return number;
}

/** How long and how often one request is tried: the options the user set, else their defaults. */
export function attemptLimits(
	node: INode,
	collection: INodeProperties,
	options: IDataObject,
): { timeout: number; maxRetries: number } {
	const read = (name: string) =>
		options[name] === undefined
			? (optionOf(collection, name).default as number)
			: checkedNumber(node, collection, name, options[name]);
	return { timeout: read('timeout') * 1000, maxRetries: read('maxRetries') };
}

/**
 * The Routing fields the user set, under the API names the Cortecs node sends them as (`routing`: the
 * Cortecs node's collection). Lists (Allowed Providers, Fallback Models) also come as comma-separated text.
 */
export function routerFields(
	node: INode,
	routing: INodeProperties,
	values: IDataObject,
): IDataObject {
	const fields: IDataObject = {};
	for (const [name, value] of Object.entries(values)) {
		const option = optionOf(routing, name);
		const field = apiFieldOf(routing, name);
		if (value === undefined || !field) continue;
		if (option.type === 'multiOptions' || option.typeOptions?.multipleValues) {
			const list = textList(node, labelOf(routing, name), value, true);
			if (list.length) fields[field] = list;
		} else {
			fields[field] = value;
		}
	}
	return fields;
}
