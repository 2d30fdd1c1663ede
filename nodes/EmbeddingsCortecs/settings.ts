import type { IDataObject, INode } from 'n8n-workflow';

import { embeddingRouterOptions } from '../Cortecs/descriptions/embedding/create.operation';
import { checkedModel, numberSetIn } from '../Cortecs/shared/fieldChecks';
import { attemptLimits, routerFields } from '../Cortecs/shared/subNodeSettings';
import { options as optionsCollection } from './properties/options';

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
	router: IDataObject,
): EmbeddingsSettings {
	return {
		body: {
			model: checkedModel(node, model, 'multilingual-e5-large'),
			...routerFields(node, embeddingRouterOptions, router),
		},
		batchSize: numberSetIn(node, optionsCollection, 'batchSize', options),
		...attemptLimits(node, optionsCollection, options),
	};
}
