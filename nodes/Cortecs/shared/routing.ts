import type {
	IHttpRequestOptions,
	INodePropertyRouting,
	PostReceiveAction,
	PreSendAction,
} from 'n8n-workflow';

import { throwOnApiError } from './errors';
import { throughputPagination } from './throughput';

/**
 * Routing shared by every operation: the request goes through the Throughput controls (n8n calls the
 * pagination function instead of sending when `paginate` is set), and every answer through
 * `throwOnApiError` before the operation's own output hook. `prepare` (building and checking the
 * request) runs inside the limiter shortly before the item's turn, not for every item before the first
 * request can leave.
 */
export function throughputRouting(
	request: Partial<IHttpRequestOptions>,
	toItems: PostReceiveAction,
	prepare: PreSendAction[] = [],
): INodePropertyRouting {
	return {
		request,
		send: { paginate: true },
		operations: { pagination: throughputPagination(prepare) },
		output: { postReceive: [throwOnApiError, toItems] },
	};
}
