import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { embeddingOptions, embeddingRouting } from '../descriptions/embedding/create.operation';
import { labelOf } from './labels';
import { notAccepted, numberIn, numberRule, rangeText } from './numbers';
import { perRun } from './runCache';

const BATCH_SIZE = (embeddingOptions.options as INodeProperties[]).find(
	(o) => o.name === 'batchSize',
)!;
const BATCH_SIZE_RULE = numberRule(embeddingOptions, BATCH_SIZE.name);

/** The router fields that are lists, with their labels ("Allowed Providers": as the chat errors say it). */
const LIST_FIELDS = [
	['allowed_providers', `${embeddingRouting.displayName} → Allowed Providers`],
	['fallbacks', labelOf(embeddingRouting, 'fallbacks')],
] as const;

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

function fail(ctx: IExecuteSingleFunctions, field: string, problem: string, fix: string): never {
	throw new NodeOperationError(ctx.getNode(), `${field}: ${problem}`, {
		itemIndex: ctx.getItemIndex(),
		description: fix,
	});
}

/** A list option as a list of texts: a comma-separated string from an expression is as good as a list. */
function textList(ctx: IExecuteSingleFunctions, value: unknown, field: string): string[] {
	const list = typeof value === 'string' ? value.split(',').map((v) => v.trim()) : value;
	if (!Array.isArray(list) || list.some((v) => typeof v !== 'string')) {
		fail(ctx, field, 'not a list of texts', 'Give a list of strings, or remove the option.');
	}
	// A row added and left blank arrives as ''.
	return (list as string[]).map((v) => v.trim()).filter(Boolean);
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
	const model = body.model;
	if (typeof model !== 'string' || model.trim() === '') {
		fail(
			ctx,
			'Model',
			typeof model === 'string' || model === undefined || model === null
				? 'no model is selected'
				: `${JSON.stringify(model)} is not a model id`,
			'Pick an embedding model from the list, or type a model id such as multilingual-e5-large. If the id comes from an expression, check that the field exists on the input item.',
		);
	}
	body.model = model.trim();

	let text = body.input;
	if (typeof text === 'number' || typeof text === 'boolean') text = String(text);
	if (typeof text !== 'string') {
		fail(
			ctx,
			'Text',
			text === undefined || text === null
				? 'no text'
				: `not text (${Array.isArray(text) ? 'a list' : 'an object'})`,
			'Give the text to embed as a string, e.g. {{ $json.text }}. For a list of texts, split it into one item per text first (e.g. with the Split Out node).',
		);
	}
	if (text.trim() === '') {
		fail(
			ctx,
			'Text',
			'the text is empty',
			'An empty text cannot be embedded. If it comes from an expression, check that the field exists on the input item, or filter out items without text before this node.',
		);
	}
	delete body.input;

	for (const [key, field] of LIST_FIELDS) {
		if (!(key in body)) continue;
		const list = textList(ctx, body[key], field);
		if (list.length) body[key] = list;
		else delete body[key];
	}

	const options = optionsOf(ctx);
	const rawSize = options.batchSize ?? BATCH_SIZE.default;
	const batchSize = numberIn(BATCH_SIZE_RULE, rawSize);
	if (batchSize === undefined) {
		fail(
			ctx,
			BATCH_SIZE_RULE.field,
			notAccepted(BATCH_SIZE_RULE, rawSize),
			`Set ${rangeText(BATCH_SIZE_RULE)} (texts per request), or remove the option to send ${BATCH_SIZE.default} per request.`,
		);
	}
	const { method, url, qs } = requestOptions;
	return {
		text,
		body,
		batchKey: JSON.stringify([method, url, qs, body, batchSize]),
		batchSize,
		includeInput: options.includeInput === true,
	};
}
