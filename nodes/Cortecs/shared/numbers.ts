import type { INodeProperties } from 'n8n-workflow';

import { labelOf, optionOf } from './labels';

/** What a number option accepts, as the editor has it: its label, whole-number-ness and range. */
export interface NumberRule {
	field: string;
	integer: boolean;
	min?: number;
	max?: number;
}

/**
 * The rule of option `name` of `collection`, from its description (displayName, numberPrecision 0,
 * typeOptions min/max): the editor enforces it on typed values, the node on values from expressions.
 */
export function numberRule(collection: INodeProperties, name: string): NumberRule {
	const option = optionOf(collection, name);
	if (option?.type !== 'number')
		throw new Error(`${collection.name}.${name} is not a number option`);
	return {
		field: labelOf(collection, name),
		integer: option.typeOptions?.numberPrecision === 0,
		min: option.typeOptions?.minValue,
		max: option.typeOptions?.maxValue,
	};
}

/** "a whole number from 1 to 128", "a number of at least 1"… */
export function rangeText(rule: NumberRule): string {
	const kind = rule.integer ? 'a whole number' : 'a number';
	if (rule.min === undefined && rule.max === undefined) return kind;
	if (rule.max === undefined) return `${kind} of at least ${rule.min}`;
	if (rule.min === undefined) return `${kind} of at most ${rule.max}`;
	return `${kind} from ${rule.min} to ${rule.max}`;
}

/** A value with nothing in it: not set by the user, or an expression that found nothing. */
export const isBlank = (value: unknown): boolean =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * `value` as a number that `rule` accepts, or undefined. Expressions often hand over numbers as text
 * ("0.2"); those count, words do not.
 */
export function numberIn(rule: NumberRule, value: unknown): number | undefined {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	const ok =
		typeof number === 'number' &&
		Number.isFinite(number) &&
		(!rule.integer || Number.isSafeInteger(number)) &&
		(rule.min === undefined || number >= rule.min) &&
		(rule.max === undefined || number <= rule.max);
	return ok ? (number as number) : undefined;
}

/** Why `value` is not accepted: `"abc" is not a number from 0 to 2`, or `no value`. */
export function notAccepted(rule: NumberRule, value: unknown): string {
	if (isBlank(value)) return 'no value';
	const shown = typeof value === 'number' ? String(value) : JSON.stringify(value);
	return `${shown} is not ${rangeText(rule)}`;
}
