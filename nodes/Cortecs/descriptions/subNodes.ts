import type { INodeProperties } from 'n8n-workflow';

import { optionOf } from '../shared/labels';
import { throughputOptions } from './throughput';

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

/** How often a sub-node's request is sent again: the Cortecs node's option, default and range. */
export const maxRetriesOption: INodeProperties = {
	...optionOf(throughputOptions, 'maxRetries')!,
	description:
		'How often a request is sent again after a 429, 5xx or network error before the node fails',
};

/** How long a sub-node's request may take: the Cortecs node's option, default and range. */
export const timeoutOption: INodeProperties = {
	...optionOf(throughputOptions, 'timeout')!,
	description:
		'How long one request may take. Reasoning models can think for minutes, hence the long default.',
};
