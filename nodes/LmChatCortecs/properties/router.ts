import { chatRouterOptions } from '../../Cortecs/descriptions/chat/complete.operation';
import { withoutRoutingAll } from '../../Cortecs/descriptions/subNodes';

/**
 * The Cortecs node's Routing fields, sent with every request of the chat model (settings.ts sends them
 * under the API names the Cortecs node routes them to).
 */
export const routerOptions = withoutRoutingAll(
	chatRouterOptions,
	'How the Cortecs router picks the provider that serves each request of the model',
);
