import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { apiFieldOf, labelOf, optionOf } from './labels';
import { isBlank, notAccepted, numberIn, numberRule, rangeText } from './numbers';

/**
 * The checks of what the user set, shared by the three nodes: the same bad input fails with the same
 * message in each, a NodeOperationError naming the field (as the editor labels it) and the fix.
 */

/** Where a check runs: an item of the Cortecs node (the error names its index), or a sub-node. */
export type CheckedIn = INode | { getNode(): INode; getItemIndex(): number };

/** What is wrong with a field, and what the user can do about it. */
export interface Failure {
	field: string;
	problem: string;
	fix: string;
}

/** The error for a field: its label and problem as the message, the fix as the description. */
export function fieldError(at: CheckedIn, { field, problem, fix }: Failure): NodeOperationError {
	const [node, itemIndex] = 'getNode' in at ? [at.getNode(), at.getItemIndex()] : [at, undefined];
	return new NodeOperationError(node, `${field}: ${problem}`, { itemIndex, description: fix });
}

export function fail(at: CheckedIn, failure: Failure): never {
	throw fieldError(at, failure);
}

const FROM_EXPRESSION =
	'If the value comes from an expression, check that the field exists on the input item.';

/** The model id, trimmed (`example`: a model id the fix suggests). */
export function checkedModel(at: CheckedIn, value: unknown, example: string): string {
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	fail(
		at,
		isBlank(value)
			? {
					field: 'Model',
					problem: 'no model is selected',
					fix: `Pick a model from the list, or type a model id such as ${example}. If the id comes from an expression, check that the field exists on the input item.`,
				}
			: {
					field: 'Model',
					problem: `${JSON.stringify(value)} is not a model id`,
					fix: `Give the model id as text, such as ${example}.`,
				},
	);
}

/**
 * `value` as number option `name` of `collection` accepts it, or why not. Removing an option the API
 * receives leaves the choice to the model; removing one the node uses itself gives its default.
 */
export function readNumber(
	collection: INodeProperties,
	name: string,
	value: unknown,
): number | Failure {
	const rule = numberRule(collection, name);
	const number = numberIn(rule, value);
	if (number !== undefined) return number;
	const option = optionOf(collection, name)!;
	const removed = option.routing ? "the model's default" : `its default (${option.default})`;
	const fix = `Set ${rangeText(rule)}, or remove the option to use ${removed}.`;
	return {
		field: rule.field,
		problem: notAccepted(rule, value),
		fix: isBlank(value) ? `${fix} ${FROM_EXPRESSION}` : fix,
	};
}

/** A number option's value within the range the editor gives it (values from expressions are checked here). */
export function checkedNumber(
	at: CheckedIn,
	collection: INodeProperties,
	name: string,
	value: unknown,
): number {
	const number = readNumber(collection, name, value);
	if (typeof number === 'number') return number;
	fail(at, number);
}

/**
 * Number option `name` as set in `values` (a collection's value), checked; its default when the user has
 * not added it. Added but blank (an expression that found nothing) is "no value", not the default.
 */
export function numberSetIn(
	at: CheckedIn,
	collection: INodeProperties,
	name: string,
	values: IDataObject,
): number {
	return name in values
		? checkedNumber(at, collection, name, values[name])
		: (optionOf(collection, name)!.default as number);
}

/**
 * What a list option takes: `names` (provider names, model ids) are trimmed, and an expression may give
 * them as one comma-separated text; `texts` (stop sequences) are kept as typed, one text a list of one.
 */
export type ListKind = 'names' | 'texts';

/** A list option's values (a row added and left blank, '', is dropped); undefined when none is left. */
export function textList(
	at: CheckedIn,
	collection: INodeProperties,
	name: string,
	value: unknown,
	kind: ListKind,
): string[] | undefined {
	let list = value;
	if (typeof list === 'string') list = kind === 'names' ? list.split(',') : [list];
	if (!Array.isArray(list) || list.some((v) => typeof v !== 'string')) {
		fail(at, {
			field: labelOf(collection, name),
			problem: 'not a list of texts',
			fix: 'Give a list of strings, or remove the option.',
		});
	}
	const texts = kind === 'names' ? (list as string[]).map((v) => v.trim()) : (list as string[]);
	const kept = texts.filter((v) => v !== '');
	return kept.length ? kept : undefined;
}

/**
 * The list options of `collection` in a request body (under their API names), checked by textList; a
 * list with nothing in it is not sent.
 */
export function checkListsIn(
	at: CheckedIn,
	body: IDataObject,
	collection: INodeProperties,
	lists: Array<[name: string, kind: ListKind]>,
): void {
	for (const [name, kind] of lists) {
		const key = apiFieldOf(collection, name)!;
		if (!(key in body)) continue;
		const list = textList(at, collection, name, body[key], kind);
		if (list) body[key] = list;
		else delete body[key];
	}
}
