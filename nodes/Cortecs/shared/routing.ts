import type { IHttpRequestOptions, INodePropertyRouting, PostReceiveAction, PreSendAction } from 'n8n-workflow';

import { throwOnApiError } from './errors';
import { sendWithLimits, sendWithLimitsAfter } from './transport';

/**
 * Routing shared by every operation: the request goes through `sendWithLimits` (n8n calls the
 * pagination function instead of sending when `paginate` is set), and every answer through
 * `throwOnApiError` before the operation's own output hook. The preSend (validation) runs inside the
 * limiter shortly before the item's turn, not for every item before the first request can leave.
 */
export function limitedRouting(
	request: Partial<IHttpRequestOptions>,
	toItems: PostReceiveAction,
	preSend: PreSendAction[] = [],
): INodePropertyRouting {
	return {
		request,
		send: { paginate: true },
		operations: { pagination: preSend.length ? sendWithLimitsAfter(preSend) : sendWithLimits },
		output: { postReceive: [throwOnApiError, toItems] },
	};
}
