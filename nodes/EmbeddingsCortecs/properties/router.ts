import { embeddingRouterOptions } from '../../Cortecs/descriptions/embedding/create.operation';
import { withoutRoutingAll } from '../../Cortecs/descriptions/subNodes';

/**
 * The Routing fields of Embedding → Create, sent with every request of the sub-node (settings.ts sends
 * them under the API names the Cortecs node routes them to).
 */
export const routerOptions = withoutRoutingAll(
	embeddingRouterOptions,
	'How the Cortecs router picks the provider that serves each request of the embeddings',
);
