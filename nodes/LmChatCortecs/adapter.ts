import type { ISupplyDataFunctions, SupplyData } from 'n8n-workflow';

import { CALL_RECORD, type CallRecord, type CortecsChatModel } from './chatModel';
import { withStandardFiles } from './fileBlocks';
import { estimateTokens } from './tokenCount';

/**
 * The LangChain side of the Cortecs Chat Model. n8n's SDK wraps a chat model in its LangChain adapter
 * (`LangchainChatModelAdapter`, a LangChain chat model with n8n's tracing, which writes the sub-node's
 * panel). This file extends that adapter, as LangChain's own chat models are extended (`_generate`,
 * `_streamResponseChunks`), where the adapter falls short for Cortecs:
 * - files: the messages' file blocks are made standard before the SDK converts them (fileBlocks.ts);
 * - the panel: each call's provider, model and cost (`generationInfo`), its tokens streamed or not, and in
 *   the input panel the request fields the user set instead of the adapter's internals;
 * - answers that are only text: a string, as LangChain's own chat models give them;
 * - streamed tool calls: each its own index (the adapter numbers every one 0, merging parallel calls);
 * - token counts: a local estimate instead of LangChain downloading an OpenAI tokenizer.
 * The adapter's class comes from the SDK at run time (no LangChain import), hence the class factory.
 */

type Options = Record<string | symbol, unknown>;

interface GenerationMessage {
	content: unknown;
}

interface Generation {
	text: string;
	generationInfo?: Record<string, unknown>;
	message: GenerationMessage;
}

interface GenerationChunk extends Generation {
	message: GenerationMessage & { tool_call_chunks?: Array<{ id?: string; index?: number }> };
}

interface LangchainMessage {
	content: unknown;
}

/** The members of the SDK's adapter (and of LangChain's chat model under it) that this file uses. */
interface Adapter {
	chatModel: CortecsChatModel;
	ctx: ISupplyDataFunctions;
	callbacks?: unknown;
	_generate(
		messages: LangchainMessage[],
		options: Options,
		runManager?: unknown,
	): Promise<{ generations: Generation[] }>;
	_streamResponseChunks(
		messages: LangchainMessage[],
		options: Options,
		runManager?: unknown,
	): AsyncGenerator<GenerationChunk>;
	bindTools(tools: unknown[], kwargs?: Options): Adapter;
}

type AdapterClass = new (chatModel: CortecsChatModel, ctx: ISupplyDataFunctions) => Adapter;

/** n8n's tracing handler: the adapter's callback that writes the panel. */
interface Tracing {
	name?: string;
}
type TracingClass = new (
	ctx: ISupplyDataFunctions,
	options: { tokensUsageParser: (output: TracedOutput) => TokenCounts },
) => Tracing;

interface TokenCounts {
	promptTokens: number;
	completionTokens: number;
	totalTokens: number;
}

/** What the tracing reads of a call: LangChain writes the counts in its words, the SDK's adapter in others. */
interface TracedOutput {
	llmOutput?: { tokenUsage?: Record<string, number | undefined> };
}

/** A call's token counts for the panel, from a generated answer or a streamed one. */
export function tokenCounts(output: TracedOutput): TokenCounts {
	const usage = output?.llmOutput?.tokenUsage ?? {};
	const promptTokens = usage.promptTokens ?? usage.input_tokens ?? 0;
	const completionTokens = usage.completionTokens ?? usage.output_tokens ?? 0;
	return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
}

/**
 * An answer that is only text as a string, as n8n's chains, agents and parsers get it from LangChain's own
 * chat models (the SDK's adapter always gives a list of content blocks).
 */
export function asPlainText(message: GenerationMessage): void {
	const { content } = message;
	if (!Array.isArray(content)) return;
	const texts = content.filter((block) => block?.type === 'text' && typeof block.text === 'string');
	if (texts.length !== content.length) return;
	message.content = texts.map((block) => block.text as string).join('');
}

const subclasses = new WeakMap<AdapterClass, AdapterClass>();

function cortecsAdapterOf(Base: AdapterClass): AdapterClass {
	const known = subclasses.get(Base);
	if (known) return known;

	class CortecsLangchainModel extends Base {
		/** Call options given with the tools (tool_choice), which the SDK's adapter does not keep. */
		toolOptions: Options = {};

		constructor(chatModel: CortecsChatModel, ctx: ISupplyDataFunctions) {
			super(chatModel, ctx);
			if (Array.isArray(this.callbacks)) {
				this.callbacks = this.callbacks.map((handler: Tracing) => {
					if (handler?.name !== 'N8nLlmTracing') return handler;
					const Tracing = handler.constructor as TracingClass;
					return new Tracing(ctx, { tokensUsageParser: tokenCounts });
				});
			}
		}

		async _generate(messages: LangchainMessage[], options: Options, runManager?: unknown) {
			const record: CallRecord = {};
			const result = await super._generate(
				messages.map(withStandardFiles),
				{ ...this.toolOptions, ...options, [CALL_RECORD]: record },
				runManager,
			);
			for (const generation of result.generations) {
				generation.generationInfo = { ...generation.generationInfo, ...record.served };
				asPlainText(generation.message);
			}
			return result;
		}

		async *_streamResponseChunks(
			messages: LangchainMessage[],
			options: Options,
			runManager?: unknown,
		): AsyncGenerator<GenerationChunk> {
			const record: CallRecord = {};
			const indexOf = new Map<string, number>();
			let current = 0;
			const chunks = super._streamResponseChunks(
				messages.map(withStandardFiles),
				{ ...this.toolOptions, ...options, [CALL_RECORD]: record },
				runManager,
			);
			for await (const chunk of chunks) {
				for (const call of chunk.message.tool_call_chunks ?? []) {
					// A call's first delta carries its id, the ones after it only more arguments.
					if (call.id) {
						if (!indexOf.has(call.id)) indexOf.set(call.id, indexOf.size);
						current = indexOf.get(call.id)!;
					}
					call.index = current;
				}
				asPlainText(chunk.message);
				if (record.served && chunk.generationInfo?.finish_reason !== undefined) {
					chunk.generationInfo = { ...chunk.generationInfo, ...record.served };
				}
				yield chunk;
			}
		}

		bindTools(tools: unknown[], kwargs: Options = {}): Adapter {
			const bound = super.bindTools(tools, kwargs);
			const model = new CortecsLangchainModel(bound.chatModel, bound.ctx);
			model.toolOptions = { ...this.toolOptions, ...kwargs };
			return model;
		}

		/** What LangChain reports of the model (n8n's input panel shows its kwargs): what is sent. */
		toJSON() {
			return {
				lc: 1,
				type: 'constructor',
				id: ['n8n-nodes-cortecs', 'CortecsChatModel'],
				kwargs: { ...this.chatModel.settings.body },
			};
		}

		async getNumTokens(content: unknown): Promise<number> {
			return estimateTokens(content);
		}
	}

	subclasses.set(Base, CortecsLangchainModel);
	return CortecsLangchainModel;
}

/** The model the SDK supplied (its adapter around `chatModel`), as this package's adapter. */
export function cortecsLangchainModel(
	supplied: SupplyData,
	chatModel: CortecsChatModel,
	ctx: ISupplyDataFunctions,
): SupplyData {
	const Base = (supplied.response as object).constructor as AdapterClass;
	return { ...supplied, response: new (cortecsAdapterOf(Base))(chatModel, ctx) };
}
