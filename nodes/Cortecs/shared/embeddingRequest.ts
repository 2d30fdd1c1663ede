import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';

import {
	embeddingOptions,
	embeddingRouterOptions,
} from '../descriptions/embedding/create.operation';
import { checkedModel, checkListsIn, fail, numberSetIn } from './fieldChecks';
import { perRun } from './runCache';

const OPTIONS = Symbol('embeddingOptions');

const hasExpression = (value: unknown): boolean =>
	typeof value === 'string'
		? value.startsWith('=')
		: typeof value === 'object' && value !== null && Object.values(value).some(hasExpression);

const readOptions = (ctx: IExecuteSingleFunctions) =>
	(ctx.getNodeParameter('options', {}) ?? {}) as IDataObject;

/**
 * The item's Options. Each getNodeParameter resolves the whole collection again (on top of
 * RoutingNode's own pass over every item); without an expression in it the value is the same for every
 * item, so it is read once per node run.
 */
function optionsOf(ctx: IExecuteSingleFunctions): IDataObject {
	const shared = perRun(ctx, OPTIONS, () =>
		hasExpression(ctx.getNodeParameter('options', {}, { rawExpressions: true }))
			? undefined
			: readOptions(ctx),
	);
	return shared ?? readOptions(ctx);
}

/** One item of Embedding → Create, checked: what it adds to a batch, and which batch it may join. */
export interface EmbeddingInput {
	text: string;
	/** The request body without `input`. */
	body: IDataObject;
	/** Items whose requests differ only in their text share a batch: the rest of the request, as JSON. */
	batchKey: string;
	batchSize: number;
	includeInput: boolean;
}

/**
 * Checks one item of Embedding → Create and finishes its request body (all but `input`, which the batch
 * fills). Bad input throws a NodeOperationError naming the field and the fix; the item is never sent.
 */
export function prepareEmbedding(
	ctx: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): EmbeddingInput {
	const body = { ...((requestOptions.body ?? {}) as IDataObject) };
	body.model = checkedModel(ctx, body.model, 'multilingual-e5-large');

	let text = body.input;
	if (typeof text === 'number' || typeof text === 'boolean') text = String(text);
	if (typeof text !== 'string') {
		fail(ctx, {
			field: 'Text',
			problem:
				text === undefined || text === null
					? 'no text'
					: `not text (${Array.isArray(text) ? 'a list' : 'an object'})`,
			fix: 'Give the text to embed as a string, e.g. {{ $json.text }}. For a list of texts, split it into one item per text first (e.g. with the Split Out node).',
		});
	}
	if (text.trim() === '') {
		fail(ctx, {
			field: 'Text',
			problem: 'the text is empty',
			fix: 'An empty text cannot be embedded. If it comes from an expression, check that the field exists on the input item, or filter out items without text before this node.',
		});
	}
	delete body.input;

	checkListsIn(ctx, body, embeddingRouterOptions, [
		['allowedProviders', 'names'],
		['fallbacks', 'names'],
	]);

	const options = optionsOf(ctx);
	const batchSize = numberSetIn(ctx, embeddingOptions, 'batchSize', options);
	const { method, url, qs } = requestOptions;
	return {
		text,
		body,
		batchKey: JSON.stringify([method, url, qs, body, batchSize]),
		batchSize,
		includeInput: options.includeInput === true,
	};
}
