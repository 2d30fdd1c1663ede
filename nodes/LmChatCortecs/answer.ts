import type {
	FinishReason,
	GenerateResult,
	MessageContent,
	StreamChunk,
	TokenUsage,
} from '@n8n/ai-node-sdk';
import type { IDataObject } from 'n8n-workflow';

/** What one call came to, as the sub-node's panel shows it: who served it and what it cost. */
export interface Served {
	finish_reason: string | null;
	model: string | null;
	provider: string | null;
	cost_eur: number | null;
	/** Set when cost_eur is the catalogue's estimate (the answer reported no cost). */
	cost_estimated?: true;
}

const FINISH_REASONS: Record<string, FinishReason> = {
	stop: 'stop',
	length: 'length',
	tool_calls: 'tool-calls',
	function_call: 'tool-calls',
	content_filter: 'content-filter',
};

export function finishReasonOf(reason: unknown): FinishReason {
	return (typeof reason === 'string' && FINISH_REASONS[reason]) || 'other';
}

/** The API's usage as the SDK's token counts. */
export function tokenUsageOf(usage: IDataObject | undefined): TokenUsage | undefined {
	if (!usage) return undefined;
	const promptTokens = Number(usage.prompt_tokens) || 0;
	const completionTokens = Number(usage.completion_tokens) || 0;
	const reasoning = (usage.completion_tokens_details as IDataObject | undefined)?.reasoning_tokens;
	return {
		promptTokens,
		completionTokens,
		totalTokens: Number(usage.total_tokens) || promptTokens + completionTokens,
		...(typeof reasoning === 'number' ? { outputTokenDetails: { reasoning } } : {}),
	};
}

/** A completion's first choice as the SDK's result (an agent or chain asks for one choice). */
export function generateResult(completion: IDataObject, served: Served): GenerateResult {
	const [choice] = completion.choices as IDataObject[];
	const message = (choice.message ?? {}) as IDataObject;
	const content: MessageContent[] = [];
	if (typeof message.content === 'string') content.push({ type: 'text', text: message.content });
	for (const call of (message.tool_calls as IDataObject[] | undefined) ?? []) {
		const fn = (call.function ?? {}) as IDataObject;
		content.push({
			type: 'tool-call',
			toolCallId: call.id as string,
			toolName: String(fn.name ?? ''),
			input: typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {}),
		});
	}
	return {
		...(typeof completion.id === 'string' ? { id: completion.id } : {}),
		finishReason: finishReasonOf(choice.finish_reason),
		usage: tokenUsageOf(completion.usage as IDataObject | undefined),
		message: { role: 'assistant', content },
		providerMetadata: { ...served },
	};
}

/** What one chat.completion.chunk adds to the answer, as the SDK's stream chunks. */
export function streamChunks(chunk: IDataObject): StreamChunk[] {
	const [choice] = (chunk.choices as IDataObject[] | undefined) ?? [];
	const delta = (choice?.delta ?? {}) as IDataObject;
	const chunks: StreamChunk[] = [];
	if (typeof delta.content === 'string' && delta.content) {
		chunks.push({ type: 'text-delta', delta: delta.content });
	}
	for (const call of (delta.tool_calls as IDataObject[] | undefined) ?? []) {
		const fn = (call.function ?? {}) as IDataObject;
		chunks.push({
			type: 'tool-call-delta',
			...(typeof call.id === 'string' && call.id ? { id: call.id } : {}),
			...(typeof fn.name === 'string' && fn.name ? { name: fn.name } : {}),
			argumentsDelta: typeof fn.arguments === 'string' ? fn.arguments : '',
		});
	}
	return chunks;
}
