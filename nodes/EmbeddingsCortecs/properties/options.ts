import { embeddingOptions } from '../../Cortecs/descriptions/embedding/create.operation';
import {
	maxRetriesOption,
	timeoutOption,
	withoutRouting,
} from '../../Cortecs/descriptions/subNodes';
import { optionOf } from '../../Cortecs/shared/labels';

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
