import type { INodeProperties } from 'n8n-workflow';

import { routingOptions } from '../../Cortecs/descriptions/chat/complete.operation';

/**
 * The Cortecs node's Routing fields, sent with every request of the chat model (settings.ts sends them
 * under the API names the Cortecs node routes them to).
 */
export const routerOptions: INodeProperties = {
	...routingOptions,
	description: 'How the Cortecs router picks the provider that serves each request of the model',
	options: (routingOptions.options as INodeProperties[]).map((option) => {
		const copy = { ...option };
		delete copy.routing;
		return copy;
	}),
};
