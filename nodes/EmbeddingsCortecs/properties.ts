import {
	embeddingModelField,
	embeddingOptions,
	embeddingRouterOptions,
} from '../Cortecs/descriptions/embedding/create.operation';
import {
	maxRetriesOption,
	timeoutOption,
	withoutRouting,
	withoutRoutingAll,
} from '../Cortecs/descriptions/subNodes';
import { optionOf } from '../Cortecs/shared/labels';

export const model = withoutRouting(embeddingModelField);

/** How the texts a vector store hands over are sent: Batch Size as in Embedding → Create, and the attempts. */
export const options = withoutRouting(embeddingOptions, {
	options: [
		withoutRouting(optionOf(embeddingOptions, 'batchSize')!, {
			description:
				'How many texts go out in one request (at most 2048). Lower this if the API rejects requests as too large.',
		}),
		maxRetriesOption,
		timeoutOption,
	],
});

/** The Routing fields of Embedding → Create, sent with every request of the sub-node (settings.ts). */
export const routerOptions = withoutRoutingAll(
	embeddingRouterOptions,
	'How the Cortecs router picks the provider that serves each request of the embeddings',
);
