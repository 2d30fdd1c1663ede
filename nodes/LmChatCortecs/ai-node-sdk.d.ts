/**
 * The part of n8n's AI node SDK this package uses. The SDK is not installed here: n8n provides it at run
 * time (n8n 2.16.0 and newer), and a development copy would pull n8n's LangChain stack into node_modules.
 * Names as in @n8n/ai-utilities' types (chat-model.ts, message.ts, output.ts, tool.ts).
 */
declare module '@n8n/ai-node-sdk' {
	import type { ISupplyDataFunctions, SupplyData } from 'n8n-workflow';

	export type ContentMetadata = { providerMetadata?: Record<string, unknown> };
	export type MessageContent = ContentMetadata &
		(
			| { type: 'text'; text: string }
			| { type: 'reasoning'; text: string }
			| { type: 'file'; mediaType?: string; data?: string | Uint8Array }
			| { type: 'tool-call'; toolCallId?: string; toolName: string; input: string }
			| { type: 'tool-result'; toolCallId: string; result: unknown; isError?: boolean }
			| { type: 'invalid-tool-call'; toolCallId?: string; error?: string; args?: string }
			| { type: 'citation' }
			| { type: 'provider'; value: Record<string, unknown> }
		);
	export interface Message {
		role: 'system' | 'user' | 'assistant' | 'tool';
		content: MessageContent[];
		name?: string;
		id?: string;
	}

	export type FinishReason =
		'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other';
	export interface TokenUsage {
		promptTokens: number;
		completionTokens: number;
		totalTokens: number;
		inputTokenDetails?: { cacheRead?: number };
		outputTokenDetails?: { reasoning?: number };
	}
	export interface GenerateResult {
		id?: string;
		finishReason?: FinishReason;
		usage?: TokenUsage;
		message: Message;
		providerMetadata?: Record<string, unknown>;
	}
	export type StreamChunk = ContentMetadata &
		(
			| { type: 'text-delta'; id?: string; delta: string }
			| { type: 'reasoning-delta'; id?: string; delta: string }
			| { type: 'tool-call-delta'; id?: string; name?: string; argumentsDelta?: string }
			| { type: 'finish'; finishReason: FinishReason; usage?: TokenUsage }
			| { type: 'error'; error: unknown }
		);

	export interface FunctionTool {
		type: 'function';
		name: string;
		description?: string;
		inputSchema: unknown;
		strict?: boolean;
	}
	export type Tool =
		FunctionTool | { type: 'provider'; name: string; args?: Record<string, unknown> };

	/** What the SDK hands generate() and stream(): LangChain's call options (signal, stop, tool_choice…). */
	export type ChatModelConfig = Record<string | symbol, unknown> & { signal?: AbortSignal };

	export interface ChatModel {
		provider: string;
		modelId: string;
		generate(messages: Message[], config?: ChatModelConfig): Promise<GenerateResult>;
		stream(messages: Message[], config?: ChatModelConfig): AsyncIterable<StreamChunk>;
		withTools(tools: Tool[]): ChatModel;
	}

	/** A tool's parameters as JSON Schema (the SDK converts LangChain's Zod schemas). */
	export function getParametersJsonSchema(tool: FunctionTool): Record<string, unknown>;

	/** The SDK wraps a ChatModel in its LangChain adapter, with n8n's tracing (the panel's records). */
	export function supplyModel(ctx: ISupplyDataFunctions, model: ChatModel): SupplyData;
}
