import type {
	IDataObject,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';

import type { CatalogueModel } from './catalogue';
import { costOf } from './cost';
import { apiError, type ErrorContext } from './errors';
import { filesSentOf } from './sentFiles';
import { assembleStream, StreamCutError } from './sse';

function header(response: IN8nHttpFullResponse, name: string): string | undefined {
	const value = response.headers?.[name];
	return typeof value === 'string' && value ? value : undefined;
}

/**
 * Who served the answer: the router names the provider in a header (the body may name it too), and the
 * body names the model it resolved (the header is the fallback).
 */
export function servedBy(
	body: IDataObject,
	response: IN8nHttpFullResponse,
): { provider: string | null; model: string | null } {
	return {
		provider:
			header(response, 'x-cortecs-provider') ?? (body.provider as string | undefined) ?? null,
		model: (body.model as string | undefined) ?? header(response, 'x-cortecs-model') ?? null,
	};
}

/** A stream that ended before [DONE]; one whose events are not JSON. */
export const STREAM_CUT = 'The Cortecs stream was cut before it finished';
export const STREAM_NOT_JSON = 'Cortecs sent a stream that is not valid JSON events';

/** The completion as JSON, whether it came as JSON, as text, or as an SSE stream. */
export function responseJson(ctx: ErrorContext, response: IN8nHttpFullResponse): IDataObject {
	const { body } = response;
	const contentType = header(response, 'content-type') ?? '';
	const fail = (message: string, description: string, retryable = false) =>
		apiError(ctx, { status: response.statusCode, retryable }, message, description);
	if (typeof body === 'object' && body !== null && !Buffer.isBuffer(body))
		return body as IDataObject;
	const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '';
	if (text.trim() === '') {
		throw fail(
			'Cortecs API returned an empty answer',
			'The API answered without a body. Try again; if it persists, check the Base URL.',
			true,
		);
	}
	if (contentType.includes('text/event-stream') || /^\s*data:/.test(text)) {
		try {
			return assembleStream(text);
		} catch (error) {
			if (error instanceof StreamCutError) {
				throw fail(
					STREAM_CUT,
					'The answer stopped before [DONE]. Try again, or turn Stream off.',
					true,
				);
			}
			throw fail(
				STREAM_NOT_JSON,
				'Turn Stream off, or check the Base URL points at the Cortecs API.',
			);
		}
	}
	try {
		return JSON.parse(text) as IDataObject;
	} catch {
		const html = /<html|<!doctype/i.test(text);
		throw fail(
			html
				? 'Cortecs API returned an HTML page instead of JSON'
				: 'Cortecs API returned a body that is not JSON',
			'The Base URL may point at a proxy, a gateway or a web page rather than the API (it should end in /v1).',
		);
	}
}

/** A postReceive hook (n8n's signature) that builds its items from the answer's JSON body. */
export function fromAnswer(
	build: (
		ctx: IExecuteSingleFunctions,
		body: IDataObject,
		response: IN8nHttpFullResponse,
	) => Promise<INodeExecutionData[]>,
) {
	return async function (
		this: IExecuteSingleFunctions,
		_items: INodeExecutionData[],
		response: IN8nHttpFullResponse,
	): Promise<INodeExecutionData[]> {
		return await build(this, responseJson(this, response), response);
	};
}

function parseArguments(call: IDataObject): IDataObject {
	const fn = (call.function ?? {}) as IDataObject;
	if (typeof fn.arguments !== 'string') return call;
	try {
		return { ...call, function: { ...fn, arguments: JSON.parse(fn.arguments || '{}') } };
	} catch {
		return call; // a model may write broken JSON; hand it over untouched rather than fail the item
	}
}

function parseJsonContent(content: unknown): unknown {
	if (typeof content !== 'string') return undefined;
	const text = content.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/, '$1');
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/**
 * postReceive for Chat → Complete: one item per choice (Simplify), or the whole body, each paired to
 * its input item, with the serving provider from the response header and the cost in EUR.
 */
export const toChatItems = fromAnswer(async (ctx, body, response) => {
	choicesOf(ctx, body, response);
	const { provider, model } = servedBy(body, response);
	const usage = body.usage ? { ...(body.usage as IDataObject) } : undefined;
	const cost = await costOf(ctx, usage, model);
	const pairedItem = { item: ctx.getItemIndex() };

	if (!(ctx.getNodeParameter('simplify', true) as boolean)) {
		const files = filesSentOf(ctx);
		const json = { ...body, ...(usage ? { usage } : {}), provider, ...cost };
		return [
			{ json: files ? { ...json, files: files as unknown as IDataObject[] } : json, pairedItem },
		];
	}
	const options = (ctx.getNodeParameter('options', {}) ?? {}) as IDataObject;
	const wantsJson =
		options.responseFormat === 'json_object' || options.responseFormat === 'json_schema';
	return choicesOf(ctx, body, response).map((choice) => {
		const message = (choice.message ?? {}) as IDataObject;
		const json: IDataObject = {
			content: message.content ?? null,
			role: message.role ?? 'assistant',
		};
		if (message.reasoning_content) json.reasoning_content = message.reasoning_content;
		if (Array.isArray(message.tool_calls) && message.tool_calls.length) {
			json.tool_calls = (message.tool_calls as IDataObject[]).map(parseArguments);
		}
		if (wantsJson) json.parsed = parseJsonContent(message.content) ?? null;
		if (choice.logprobs) json.logprobs = choice.logprobs;
		Object.assign(json, {
			finish_reason: choice.finish_reason ?? null,
			index: choice.index ?? 0,
			model,
			provider,
			id: body.id ?? null,
			usage: usage ?? null,
			...cost,
		});
		return { json, pairedItem };
	});
});

/** Every answer must give at least one choice: an item that yields nothing would be lost silently. */
export function choicesOf(
	ctx: ErrorContext,
	body: IDataObject,
	response: IN8nHttpFullResponse,
): IDataObject[] {
	const choices = body.choices;
	if (Array.isArray(choices) && choices.length) return choices as IDataObject[];
	throw apiError(
		ctx,
		{ status: response.statusCode, retryable: false },
		'Cortecs API returned no choices',
		'The answer held no completion. Check that the Base URL points at the Cortecs API.',
		body,
	);
}

/** postReceive for Model → Get Many: one item per model, compact (Simplify) or as the API gave it. */
export const toModelItems = fromAnswer(async (ctx, body) => {
	const models = (Array.isArray(body.data) ? body.data : []) as CatalogueModel[];
	const pairedItem = { item: ctx.getItemIndex() };
	const simplify = ctx.getNodeParameter('simplify', true) as boolean;
	return models.map((model) => ({
		json: simplify
			? {
					id: model.id,
					owned_by: model.owned_by ?? null,
					description: model.description ?? null,
					input_price_per_1m: model.pricing?.input_token ?? null,
					output_price_per_1m: model.pricing?.output_token ?? null,
					currency: model.pricing?.currency ?? null,
					context_size: model.context_size ?? null,
					max_output_tokens: model.max_output_tokens ?? null,
					tags: model.tags ?? [],
					features: model.supported_features ?? [],
					providers: model.providers ?? [],
				}
			: (model as unknown as IDataObject),
		pairedItem,
	}));
});
