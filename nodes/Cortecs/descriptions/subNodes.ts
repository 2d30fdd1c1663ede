import type { INodeProperties } from 'n8n-workflow';

import { throughputOptions } from './throughput';

export const optionOf = (collection: INodeProperties, name: string) =>
	(collection.options as INodeProperties[]).find((o) => o.name === name) as INodeProperties;

/** A field of the Cortecs node as a sub-node shows it (with `change`): no routing; the sub-node sends it. */
export function withoutRouting(
	option: INodeProperties,
	change: Partial<INodeProperties> = {},
): INodeProperties {
	const copy = { ...option, ...change };
	delete copy.routing;
	return copy;
}

/** A collection of the Cortecs node (Routing) as a sub-node shows it: the same fields, no routing. */
export function withoutRoutingAll(
	collection: INodeProperties,
	description: string,
): INodeProperties {
	return {
		...collection,
		description,
		options: (collection.options as INodeProperties[]).map((option) => withoutRouting(option)),
	};
}

const MAX_RETRIES = optionOf(throughputOptions, 'maxRetries').default;
const TIMEOUT_SECONDS = optionOf(throughputOptions, 'timeout').default;

/** How often a sub-node's request is sent again: the Cortecs node's default and range. */
export const maxRetriesOption: INodeProperties = {
	displayName: 'Max Retries',
	name: 'maxRetries',
	type: 'number',
	default: MAX_RETRIES,
	typeOptions: { minValue: 0, maxValue: 10, numberPrecision: 0 },
	description:
		'How often a request is sent again after a 429, 5xx or network error before the node fails',
};

/** How long a sub-node's request may take: the Cortecs node's default. */
export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	default: TIMEOUT_SECONDS,
	typeOptions: { minValue: 1 },
	description:
		'How long one request may take. Reasoning models can think for minutes, hence the long default.',
};
