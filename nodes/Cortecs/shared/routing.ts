import type { IHttpRequestOptions, INodePropertyRouting, PostReceiveAction, PreSendAction } from 'n8n-workflow';

import { throwOnApiError } from './errors';
import { sendWithLimits } from './transport';

/**
 * Routing shared by every operation: the request goes through `sendWithLimits` (n8n calls the
 * pagination function instead of sending when `paginate` is set), and every answer through
 * `throwOnApiError` before the operation's own output hook.
 */
export function limitedRouting(
	request: Partial<IHttpRequestOptions>,
	toItems: PostReceiveAction,
	preSend: PreSendAction[] = [],
): INodePropertyRouting {
	return {
		request,
		send: { preSend, paginate: true },
		operations: { pagination: sendWithLimits },
		output: { postReceive: [throwOnApiError, toItems] },
	};
}
