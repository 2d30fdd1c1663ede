import type {
	ChatModel,
	ChatModelConfig,
	FunctionTool,
	GenerateResult,
	Message,
	StreamChunk,
	Tool,
} from '@n8n/ai-node-sdk';
import type {
	IDataObject,
	IN8nHttpFullResponse,
	ISupplyDataFunctions,
	NodeError,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { NO_REDIRECTS } from '../Cortecs/shared/baseUrl';
import { costOf, type CostContext } from '../Cortecs/shared/cost';
import { deliver } from '../Cortecs/shared/delivery';
import {
	answerError,
	apiError,
	apiMessage,
	redactApiKey,
	type ErrorContext,
} from '../Cortecs/shared/errors';
import { toCortecsError } from '../Cortecs/shared/networkErrors';
import {
	choicesOf,
	responseJson,
	servedBy,
	STREAM_CUT,
	STREAM_NOT_JSON,
} from '../Cortecs/shared/output';
import type { Pauses } from '../Cortecs/shared/pauses';
import { sseData, sseLines, StreamAssembly } from '../Cortecs/shared/sse';
import { finishReasonOf, generateResult, streamChunks, tokenUsageOf, type Served } from './answer';
import { apiMessages, apiToolChoice, apiTools, UnsupportedContentError } from './request';
import type { ChatModelSettings } from './settings';

/** A streamed answer's body (Node's Readable, as n8n's HTTP helper returns it). */
type ByteStream = AsyncIterable<Buffer | string>;

/** Where a call leaves its panel record for the LangChain side (adapter.ts), under this key of its options. */
export const CALL_RECORD = Symbol('cortecsCall');

export interface CallRecord {
	served?: Served;
}

/** How the model reaches the API, shared by every copy of it (withTools) in one supplied model. */
export interface Transport {
	url: string;
	/** The router fields as set (the node's `routerOptions`), for the 404 hint. */
	router: IDataObject;
	/** The SDK's conversion of a tool's schema (LangChain's Zod or JSON Schema) to JSON Schema. */
	jsonSchemaOf: (tool: FunctionTool) => Record<string, unknown>;
	/** The waits between attempts: one listener on the execution's cancel signal for all calls. */
	pauses: Pauses;
}

/**
 * The Cortecs Chat Model as n8n's AI node SDK defines a chat model: generate and stream on the package's
 * own transport, the delivery loop every Cortecs node sends through (shared/delivery.ts), so 429s wait as
 * Retry-After asks, failures are NodeApiErrors with the Cortecs node's hints, and each answer's cost and
 * provider are known. The SDK wraps it for LangChain (adapter.ts).
 */
export class CortecsChatModel implements ChatModel {
	readonly provider = 'cortecs';

	private readonly errorContext: ErrorContext;

	/** The catalogue for estimates is loaded once per supplied model (the transport is shared by its copies). */
	private readonly costContext: CostContext;

	constructor(
		private readonly ctx: ISupplyDataFunctions,
		itemIndex: number,
		readonly settings: ChatModelSettings,
		private readonly transport: Transport,
		private readonly tools: Tool[] = [],
	) {
		this.errorContext = { getNode: () => ctx.getNode(), getItemIndex: () => itemIndex };
		this.costContext = {
			getCredentials: async (type: string) => await ctx.getCredentials(type),
			getExecuteData: () => transport,
			helpers: ctx.helpers,
		};
	}

	get modelId(): string {
		return this.settings.body.model as string;
	}

	withTools(tools: Tool[]): CortecsChatModel {
		return new CortecsChatModel(
			this.ctx,
			this.errorContext.getItemIndex(),
			this.settings,
			this.transport,
			[...this.tools, ...tools],
		);
	}

	async generate(messages: Message[], config: ChatModelConfig = {}): Promise<GenerateResult> {
		return await this.reported(async () => {
			const response = await this.post(this.body(messages, config, false), config, false);
			const completion = responseJson(this.errorContext, response);
			choicesOf(this.errorContext, completion, response);
			const served = await this.served(completion, response);
			recordOf(config).served = served;
			return generateResult(completion, served);
		});
	}

	async *stream(messages: Message[], config: ChatModelConfig = {}): AsyncIterable<StreamChunk> {
		const response = await this.reported(
			async () => await this.post(this.body(messages, config, true), config, true),
		);
		const assembly = new StreamAssembly();
		let done = false;
		try {
			for await (const line of sseLines(response.body as ByteStream)) {
				const data = sseData(line);
				if (data === undefined) continue;
				if (data === '[DONE]') {
					done = true;
					break;
				}
				const chunk = JSON.parse(data) as IDataObject;
				if (chunk.error) {
					throw apiError(
						this.errorContext,
						{ status: response.statusCode, retryable: false },
						`Cortecs API error in the stream: ${apiMessage(chunk) ?? 'no message'}`,
						'The provider failed while it answered. Try again later, or pick another model.',
						chunk,
					);
				}
				assembly.add(chunk);
				yield* streamChunks(chunk);
			}
		} catch (error) {
			throw await this.redacted(
				error instanceof SyntaxError
					? apiError(
							this.errorContext,
							{ status: response.statusCode, retryable: false },
							STREAM_NOT_JSON,
							'Check that the Base URL points at the Cortecs API.',
						)
					: toCortecsError(this.errorContext, error, config.signal?.aborted === true),
			);
		}
		if (!done) {
			throw await this.redacted(
				apiError(
					this.errorContext,
					{ status: response.statusCode, retryable: false },
					STREAM_CUT,
					'The answer stopped before [DONE]. Try again.',
				),
			);
		}
		const completion = assembly.completion();
		const served = await this.served(completion, response);
		recordOf(config).served = served;
		const [choice] = (completion.choices as IDataObject[]) ?? [];
		yield {
			type: 'finish',
			finishReason: finishReasonOf(choice?.finish_reason),
			usage: tokenUsageOf(completion.usage as IDataObject | undefined),
			providerMetadata: { ...served },
		};
	}

	/** The request body: the settings' fields, the messages, the bound tools, LangChain's call options. */
	private body(messages: Message[], config: ChatModelConfig, stream: boolean): IDataObject {
		let converted: IDataObject[];
		try {
			converted = apiMessages(messages);
		} catch (error) {
			if (!(error instanceof UnsupportedContentError)) {
				throw new NodeOperationError(this.ctx.getNode(), error as Error);
			}
			throw new NodeOperationError(
				this.ctx.getNode(),
				`The model was handed ${error.message}, which Cortecs does not take`,
				{
					description:
						'Cortecs models read text, images (PNG, JPEG, WebP, GIF) and PDFs. Convert other files to text before the model (for example with Extract from File).',
				},
			);
		}
		const body: IDataObject = { ...this.settings.body, messages: converted };
		const tools = apiTools(this.tools, this.transport.jsonSchemaOf);
		if (tools.length) body.tools = tools;
		const toolChoice = apiToolChoice(config.tool_choice);
		if (tools.length && toolChoice !== undefined) body.tool_choice = toolChoice as IDataObject;
		if (tools.length && typeof config.parallel_tool_calls === 'boolean') {
			body.parallel_tool_calls = config.parallel_tool_calls;
		}
		if (Array.isArray(config.stop) && config.stop.length && !body.stop) body.stop = config.stop;
		if (stream) {
			body.stream = true;
			body.stream_options = { include_usage: true };
		}
		return body;
	}

	/** One request through the delivery loop; an answer that is not 2xx is a failed attempt. */
	private async post(
		body: IDataObject,
		config: ChatModelConfig,
		stream: boolean,
	): Promise<IN8nHttpFullResponse> {
		const { ctx, errorContext, transport } = this;
		const signals = [ctx.getExecutionCancelSignal(), config.signal].filter(
			(s): s is AbortSignal => s !== undefined,
		);
		const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
		return await deliver({
			context: errorContext,
			maxRetries: this.settings.maxRetries,
			signal,
			pauses: transport.pauses,
			send: async () => {
				const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'cortecsApi', {
					method: 'POST',
					url: transport.url,
					body,
					json: true,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					...NO_REDIRECTS,
					timeout: this.settings.timeout,
					...(stream ? { encoding: 'stream' as const } : {}),
					...(signal ? { abortSignal: signal } : {}),
				})) as IN8nHttpFullResponse;
				if (response.statusCode < 300) return response;
				if (stream) response.body = await textOf(response.body as ByteStream);
				throw answerError(errorContext, response, transport.router);
			},
		});
	}

	/** Who served the answer and what it cost (the API's usage.cost, else the catalogue's estimate). */
	private async served(completion: IDataObject, response: IN8nHttpFullResponse): Promise<Served> {
		const { provider, model } = servedBy(completion, response);
		const [choice] = (completion.choices as IDataObject[]) ?? [];
		return {
			finish_reason: (choice?.finish_reason as string | undefined) ?? null,
			model,
			provider,
			...(await costOf(this.costContext, completion.usage as IDataObject | undefined, model)),
		};
	}

	/** Runs a step whose failure reaches the agent (and the panel): never with the API key in it. */
	private async reported<T>(step: () => Promise<T>): Promise<T> {
		try {
			return await step();
		} catch (error) {
			throw await this.redacted(error);
		}
	}

	private async redacted(error: unknown): Promise<NodeError> {
		const known =
			error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(this.ctx.getNode(), error as Error);
		return await redactApiKey(this.ctx, known);
	}
}

/** The record a call leaves for the panel (an empty one when nobody asked for it). */
function recordOf(config: ChatModelConfig): CallRecord {
	return (config[CALL_RECORD] as CallRecord | undefined) ?? {};
}

/** The whole of a streamed error answer, as text. */
async function textOf(stream: ByteStream): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
	return Buffer.concat(chunks).toString('utf8');
}
