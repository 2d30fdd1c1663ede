import type { IExecuteSingleFunctions, INodeExecutionData, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { redactApiKey } from './errors';

/** What a node run remembers of its failures. */
export interface FailureState {
	/** Without Continue On Fail: the lowest index of an item that failed for good (the node will fail). */
	firstFailure?: number;
}

/** With Continue On Fail the failed item becomes one error item, paired to its input, in its place. */
function errorItem(
	ctx: IExecuteSingleFunctions,
	error: NodeApiError | NodeOperationError,
): INodeExecutionData[] {
	const httpCode = 'httpCode' in error ? error.httpCode : null;
	return [
		{
			json: {
				error: error.message,
				description: error.description ?? null,
				httpCode: httpCode ?? null,
			},
			error,
			pairedItem: { item: ctx.getItemIndex() },
		},
	];
}

/**
 * Without Continue On Fail: remembers that item `ctx` failed for good. Call it before any await once the
 * failure is certain: the slot the item held is already free for the next one, which checks this first.
 */
export function noteFailure(ctx: IExecuteSingleFunctions, state: FailureState): void {
	if (ctx.continueOnFail()) return;
	state.firstFailure = Math.min(state.firstFailure ?? Number.POSITIVE_INFINITY, ctx.getItemIndex());
}

/** The end of a failed item: its error (without the API key) as an error item, or thrown. */
export async function failItem(
	ctx: IExecuteSingleFunctions,
	error: NodeApiError | NodeOperationError,
	state: FailureState,
): Promise<INodeExecutionData[]> {
	const continues = ctx.continueOnFail();
	noteFailure(ctx, state);
	await redactApiKey(ctx, error);
	if (continues) return errorItem(ctx, error);
	throw error;
}

/**
 * Without Continue On Fail one failed item fails the node (RoutingNode reports the failed item with the
 * lowest index and drops every other result), so items after it that have not left yet are not sent:
 * they would only be paid for. Items before it still are: one of them may be the failure n8n reports.
 */
export function notSentAfterFailure(
	ctx: IExecuteSingleFunctions,
	state: FailureState,
): NodeOperationError | undefined {
	const { firstFailure } = state;
	if (firstFailure === undefined || ctx.getItemIndex() <= firstFailure || ctx.continueOnFail()) {
		return undefined;
	}
	return new NodeOperationError(ctx.getNode(), 'Cortecs request not sent: an earlier item failed', {
		itemIndex: ctx.getItemIndex(),
		description: `Item ${firstFailure} failed, which fails the node (Continue On Fail is off), so this item was not sent.`,
	});
}
