import type { FunctionTool, Message, MessageContent, Tool } from '@n8n/ai-node-sdk';
import type { IDataObject } from 'n8n-workflow';

/** Content the API cannot take (a file type no Cortecs model reads): the call fails before sending. */
export class UnsupportedContentError extends Error {}

type FileContent = Extract<MessageContent, { type: 'file' }>;
type ToolCallContent = Extract<MessageContent, { type: 'tool-call' }>;

const isText = (c: MessageContent): c is Extract<MessageContent, { type: 'text' }> =>
	c.type === 'text';

function textOf(content: MessageContent[]): string {
	return content
		.filter(isText)
		.map((c) => c.text)
		.join('');
}

function base64Of(data: string | Uint8Array): string {
	return typeof data === 'string' ? data : Buffer.from(data).toString('base64');
}

/**
 * A file as the API's content part: an image (data or URL) as `image_url`, a PDF as `file` with its name
 * and a data URL. The data URL an n8n node built travels as it is (see fileBlocks.ts).
 */
function filePart(file: FileContent): IDataObject {
	const meta = file.providerMetadata ?? {};
	const detail = typeof meta.detail === 'string' ? { detail: meta.detail } : {};
	if (typeof meta.url === 'string')
		return { type: 'image_url', image_url: { url: meta.url, ...detail } };
	const mime = file.mediaType ?? '';
	if (file.data === undefined) {
		throw new UnsupportedContentError('a file without data or URL');
	}
	const data = base64Of(file.data);
	const dataUrl = data.startsWith('data:') ? data : `data:${mime};base64,${data}`;
	if (mime.startsWith('image/')) {
		return { type: 'image_url', image_url: { url: dataUrl, ...detail } };
	}
	if (mime === 'application/pdf') {
		const filename = typeof meta.filename === 'string' ? meta.filename : 'document.pdf';
		return { type: 'file', file: { filename, file_data: dataUrl } };
	}
	throw new UnsupportedContentError(`a file of type ${mime || 'unknown'}`);
}

/** A user or system message's content: its text, or content parts when it carries files. */
function contentOf(content: MessageContent[]): string | IDataObject[] {
	const kept = content.filter((c) => c.type === 'text' || c.type === 'file');
	if (kept.every(isText) && kept.length <= 1) return textOf(kept);
	return kept.map((c) => (isText(c) ? { type: 'text', text: c.text } : filePart(c as FileContent)));
}

/** A tool's result as the text of a tool message. */
function resultText(result: unknown): string {
	if (typeof result === 'string') return result;
	if (Array.isArray(result)) return textOf(result as MessageContent[]);
	return JSON.stringify(result ?? '');
}

/** The SDK's messages as the API's `messages`. */
export function apiMessages(messages: Message[]): IDataObject[] {
	return messages.flatMap((message): IDataObject[] => {
		const { role, content } = message;
		if (role === 'tool') {
			return content
				.filter((c) => c.type === 'tool-result')
				.map((c) => {
					const r = c as Extract<MessageContent, { type: 'tool-result' }>;
					return { role: 'tool', tool_call_id: r.toolCallId, content: resultText(r.result) };
				});
		}
		if (role === 'assistant') {
			const calls = content.filter((c): c is ToolCallContent => c.type === 'tool-call');
			return [
				{
					role,
					content: textOf(content),
					...(calls.length
						? {
								tool_calls: calls.map((call) => ({
									id: call.toolCallId,
									type: 'function',
									function: { name: call.toolName, arguments: call.input },
								})),
							}
						: {}),
				},
			];
		}
		return [{ role, content: contentOf(content) }];
	});
}

/** The tools an agent bound, as the API's function tools (parameters as JSON Schema). */
export function apiTools(
	tools: Tool[],
	jsonSchemaOf: (tool: FunctionTool) => Record<string, unknown>,
): IDataObject[] {
	return tools
		.filter((tool): tool is FunctionTool => tool.type === 'function')
		.map((tool) => ({
			type: 'function',
			function: {
				name: tool.name,
				...(tool.description === undefined ? {} : { description: tool.description }),
				parameters: jsonSchemaOf(tool) as IDataObject,
				...(tool.strict === undefined ? {} : { strict: tool.strict }),
			},
		}));
}

/** LangChain's tool_choice call option as the API's (`any` is LangChain's word for `required`). */
export function apiToolChoice(choice: unknown): unknown {
	if (choice === undefined || choice === null) return undefined;
	if (choice === 'any') return 'required';
	if (typeof choice === 'string' && !['auto', 'none', 'required'].includes(choice)) {
		return { type: 'function', function: { name: choice } };
	}
	return choice;
}
