import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	JsonObject,
	NodeApiError,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { embeddingOptions } from '../descriptions/embedding/create.operation';
import { prepareEmbedding } from './embeddingRequest';
import { embeddingItems, EmbeddingAnswerError, type EmbeddedText } from './embeddingOutput';
import { apiError, FAILURE, type CortecsError } from './errors';
import { failItem, notSentAfterFailure } from './failedItems';
import { labelOf } from './labels';
import { perRun } from './runCache';
import { checkThroughput, failuresOf, sendThroughput } from './throughput';

/** An item waiting in a batch for its share of the answer. */
interface Member extends EmbeddedText {
	ctx: IExecutePaginationFunctions;
	settle: (items: Promise<INodeExecutionData[]>) => void;
}

interface Batch {
	size: number;
	/** The request of the first item; the batch sends it with the texts of all its items as `input`. */
	requestData: DeclarativeRestApiSettings.ResultOptions;
	body: IDataObject;
	members: Member[];
}

interface Batches {
	/** Batches still taking items, by everything of their request but the texts. */
	open: Map<string, Batch>;
	flushPending: boolean;
}

const BATCHES = Symbol('embeddingBatches');

/**
 * The pagination hook of Embedding → Create. n8n-core's RoutingNode calls it once per item, with that
 * item's request, and waits for all items at the end; each call here puts its item's text into a batch
 * of the node run and resolves with that item's own vector once the batch's answer is in.
 *
 * A batch leaves as soon as it is full. The rest leave when no more items will come: RoutingNode builds
 * every item's request and calls this hook for all of them in one synchronous pass (its only wait inside
 * that loop is n8n's own Request Options → Batching interval) before it waits for any; a timer of 0 ms
 * set by the first item therefore fires after the last item has joined. That holds however many items
 * RoutingNode really runs (Execute Once, a tool call), which the input data of the run does not tell.
 *
 * Batches go through the same Throughput loop as one chat item: limiter, retries, timeout.
 */
export async function embeddingPagination(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	let input;
	try {
		input = prepareEmbedding(this, requestData.options as IHttpRequestOptions);
		checkThroughput(this);
	} catch (error) {
		// Bad input fails its item alone, before it joins a batch: nothing of it is sent.
		const bad =
			error instanceof NodeOperationError
				? error
				: new NodeOperationError(this.getNode(), error as Error, {
						itemIndex: this.getItemIndex(),
					});
		return await failItem(this, bad, failuresOf(this));
	}
	const batches = perRun(this, BATCHES, (): Batches => ({ open: new Map(), flushPending: false }));
	return await new Promise<INodeExecutionData[]>((resolve) => {
		const member: Member = {
			ctx: this,
			text: input.text,
			includeInput: input.includeInput,
			settle: resolve,
		};
		let batch = batches.open.get(input.batchKey);
		if (!batch) {
			batch = { size: input.batchSize, requestData, body: input.body, members: [] };
			batches.open.set(input.batchKey, batch);
		}
		batch.members.push(member);
		if (batch.members.length >= batch.size) {
			batches.open.delete(input.batchKey);
			void sendBatch(batch);
		} else if (!batches.flushPending) {
			batches.flushPending = true;
			void sleep(0).then(() => {
				batches.flushPending = false;
				const waiting = [...batches.open.values()];
				batches.open.clear();
				for (const open of waiting) void sendBatch(open);
			});
		}
	});
}

/**
 * Sends one batch and settles each of its items with its own output or its own error. Whatever goes
 * wrong, every item is settled: RoutingNode waits for all of them.
 */
async function sendBatch(batch: Batch): Promise<void> {
	try {
		await deliverBatch(batch);
	} catch (error) {
		const failures = failuresOf(batch.members[0].ctx);
		for (const member of batch.members) {
			const failed = new NodeOperationError(member.ctx.getNode(), error as Error, {
				itemIndex: member.ctx.getItemIndex(),
			});
			member.settle(failItem(member.ctx, failed, failures));
		}
	}
}

async function deliverBatch(batch: Batch): Promise<void> {
	const failures = failuresOf(batch.members[0].ctx);
	// Without Continue On Fail, items after one that already failed are not sent (see notSentAfterFailure).
	const members: Member[] = [];
	for (const member of batch.members) {
		const notSent = notSentAfterFailure(member.ctx, failures);
		if (notSent) member.settle(failItem(member.ctx, notSent, failures));
		else members.push(member);
	}
	if (!members.length) return;

	const [leader] = members;
	const requestData = {
		...batch.requestData,
		options: {
			...batch.requestData.options,
			body: { ...batch.body, input: members.map((m) => m.text) },
		},
	};
	const outcome = await sendThroughput(leader.ctx, requestData);
	const indexes = members.map((m) => m.ctx.getItemIndex());
	const failAll = (error: NodeApiError | NodeOperationError) => {
		for (const member of members) {
			member.settle(failItem(member.ctx, errorFor(member, error, indexes), failures));
		}
	};
	if ('error' in outcome) return failAll(outcome.error);
	try {
		const outputs = embeddingItems(outcome.items[0]?.json ?? {}, members);
		members.forEach((member, i) => {
			member.settle(Promise.resolve([{ json: outputs[i], pairedItem: { item: indexes[i] } }]));
		});
	} catch (error) {
		const { message, description } =
			error instanceof EmbeddingAnswerError
				? error
				: { message: (error as Error).message, description: 'The answer could not be read.' };
		failAll(apiError(leader.ctx, { status: 200, retryable: false }, message, description));
	}
}

const TOO_LARGE = `The request is too large: it carried more texts, or more tokens, than the API takes in one request. Lower ${labelOf(embeddingOptions, 'batchSize')}.`;

/** The batch's error as one of this item: its own index, and which items the request carried. */
function errorFor(
	member: Member,
	error: NodeApiError | NodeOperationError,
	indexes: number[],
): NodeApiError | NodeOperationError {
	const { ctx } = member;
	const shared =
		indexes.length > 1
			? ` (This item's text went in one request with ${indexes.length - 1} other item${indexes.length === 2 ? '' : 's'}, input items ${indexes[0]} to ${indexes[indexes.length - 1]}; that request failed as a whole.)`
			: '';
	const failure = (error as CortecsError)[FAILURE];
	const hint = failure?.status === 413 ? TOO_LARGE : (error.description ?? '');
	const description = `${hint}${shared}`.trim();
	if (failure) {
		const body = (error.errorResponse as JsonObject | undefined)?.body;
		return apiError(ctx, failure, error.message, description, body);
	}
	return new NodeOperationError(ctx.getNode(), error.message, {
		itemIndex: ctx.getItemIndex(),
		description,
	});
}
