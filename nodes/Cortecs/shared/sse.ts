import type { IDataObject } from 'n8n-workflow';

export class StreamCutError extends Error {}

interface ToolCallDraft {
	id?: string;
	type?: string;
	function: { name: string; arguments: string };
}

interface ChoiceDraft {
	index: number;
	message: {
		role: string;
		content: string | null;
		reasoning_content?: string;
		tool_calls?: ToolCallDraft[];
	};
	finish_reason: string | null;
	logprobs?: unknown;
	sawContent: boolean;
}

/** The data of one SSE line (`data: …`), or undefined for any other line (comments, blank, fields). */
export function sseData(line: string): string | undefined {
	if (!line.startsWith('data:')) return undefined;
	return line.slice(5).trim() || undefined;
}

/** The lines of a byte stream as they arrive, however the chunks cut them. */
export async function* sseLines(stream: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
	let rest = '';
	const decoder = new TextDecoder();
	for await (const chunk of stream) {
		rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
		const lines = rest.split(/\r?\n/);
		rest = lines.pop() ?? '';
		yield* lines;
	}
	rest += decoder.decode();
	if (rest) yield rest;
}

/**
 * Builds, one chat.completion.chunk at a time, the chat.completion the non-streaming API would have
 * returned: content, reasoning, tool calls, usage.
 */
export class StreamAssembly {
	private readonly choices = new Map<number, ChoiceDraft>();

	private head: IDataObject = {};

	private usage?: IDataObject;

	add(chunk: IDataObject): void {
		if (!this.head.id) this.head = { id: chunk.id, created: chunk.created, model: chunk.model };
		if (chunk.usage) this.usage = chunk.usage as IDataObject;
		for (const part of (chunk.choices as IDataObject[] | undefined) ?? []) {
			const index = (part.index as number) ?? 0;
			let choice = this.choices.get(index);
			if (!choice) {
				choice = {
					index,
					message: { role: 'assistant', content: null },
					finish_reason: null,
					sawContent: false,
				};
				this.choices.set(index, choice);
			}
			const delta = (part.delta ?? {}) as IDataObject;
			if (typeof delta.role === 'string') choice.message.role = delta.role;
			if (typeof delta.content === 'string') {
				choice.message.content = (choice.message.content ?? '') + delta.content;
				// The opening delta carries content: '' even when the answer is only tool calls.
				if (delta.content) choice.sawContent = true;
			}
			if (typeof delta.reasoning_content === 'string') {
				choice.message.reasoning_content =
					(choice.message.reasoning_content ?? '') + delta.reasoning_content;
			}
			for (const call of (delta.tool_calls as IDataObject[] | undefined) ?? []) {
				const calls = (choice.message.tool_calls ??= []);
				const at = typeof call.index === 'number' ? call.index : calls.length;
				const draft = (calls[at] ??= { function: { name: '', arguments: '' } });
				if (call.id) draft.id = call.id as string;
				if (call.type) draft.type = call.type as string;
				const fn = (call.function ?? {}) as IDataObject;
				if (typeof fn.name === 'string') draft.function.name += fn.name;
				if (typeof fn.arguments === 'string') draft.function.arguments += fn.arguments;
			}
			if (part.finish_reason) choice.finish_reason = part.finish_reason as string;
			if (part.logprobs !== undefined) choice.logprobs = part.logprobs;
		}
	}

	/** The completion of the chunks added so far. */
	completion(): IDataObject {
		const assembled: IDataObject = {
			...this.head,
			object: 'chat.completion',
			choices: [...this.choices.values()]
				.sort((a, b) => a.index - b.index)
				.map(({ index, message, finish_reason, logprobs, sawContent }) => {
					// With tool calls and no text, the API says content: null; keep that shape.
					if (!sawContent && message.tool_calls) message.content = null;
					else if (message.content === null) message.content = '';
					if (message.tool_calls) {
						message.tool_calls = message.tool_calls.map((call) => ({
							...call,
							type: call.type ?? 'function',
						}));
					}
					return {
						index,
						message,
						finish_reason,
						...(logprobs === undefined ? {} : { logprobs }),
					} as IDataObject;
				}),
		};
		if (this.usage) assembled.usage = this.usage;
		return assembled;
	}
}

/**
 * Assembles an OpenAI-style SSE body (chat.completion.chunk events ending in [DONE]) into the
 * chat.completion the non-streaming API would have returned (see StreamAssembly).
 */
export function assembleStream(text: string): IDataObject {
	const assembly = new StreamAssembly();
	for (const line of text.split(/\r?\n/)) {
		const data = sseData(line);
		if (data === undefined) continue;
		if (data === '[DONE]') return assembly.completion();
		const chunk = JSON.parse(data) as IDataObject;
		if (chunk.error) return chunk; // an error event: let the error hook report it
		assembly.add(chunk);
	}
	throw new StreamCutError('The stream ended before [DONE]');
}
