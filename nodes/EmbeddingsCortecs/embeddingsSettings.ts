import type { IDataObject, INode } from 'n8n-workflow';

import { embeddingRouting } from '../Cortecs/descriptions/embedding/create.operation';
import { optionOf } from '../Cortecs/descriptions/subNodes';
import {
	attemptLimits,
	checkedNumber,
	fail,
	routerFields,
} from '../Cortecs/shared/subNodeSettings';
import { options as optionsCollection } from './properties';

/** How the embeddings sub-node sends: checked once, when the vector store asks for the sub-node. */
export interface EmbeddingsSettings {
	/** Every request body but `input`: the model and the Routing fields the user set. */
	body: IDataObject;
	batchSize: number;
	/** Milliseconds. */
	timeout: number;
	maxRetries: number;
}

/** The sub-node's parameters, checked (a NodeOperationError names the field and the fix). */
export function embeddingsSettings(
	node: INode,
	model: unknown,
	options: IDataObject,
	routing: IDataObject,
): EmbeddingsSettings {
	const id = typeof model === 'string' ? model.trim() : '';
	if (!id) {
		fail(
			node,
			'Model',
			'no model chosen',
			'Pick an embedding model from the list, or give a model ID such as multilingual-e5-large.',
		);
	}
	const batchSize =
		options.batchSize === undefined
			? (optionOf(optionsCollection, 'batchSize').default as number)
			: checkedNumber(node, optionsCollection, 'batchSize', options.batchSize);
	return {
		body: { model: id, ...routerFields(node, embeddingRouting, routing) },
		batchSize,
		...attemptLimits(node, optionsCollection, options),
	};
}
