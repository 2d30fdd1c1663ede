/**
 * Files in LangChain messages, in the one shape n8n's SDK passes on to the model.
 *
 * The SDK's converter (@n8n/ai-utilities, `fromLcContent`) keeps LangChain's standard file blocks
 * (`image`, `file`… with `mimeType`, `data` or `url`) and drops everything else. n8n's own nodes hand over
 * other shapes: the AI Agent's binary passthrough and the Basic LLM Chain send images as OpenAI's
 * `image_url` parts, and PDFs as `{type: 'file', source_type: 'base64', mime_type, data}`. Both are
 * rewritten here, before the SDK sees them; an image's data URL travels as `url`, so its bytes reach the
 * API exactly as the node encoded them.
 */

type Block = Record<string, unknown>;

const isBlock = (value: unknown): value is Block =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** The MIME type of a data URL (`data:image/png;base64,…`). */
function mimeOfDataUrl(url: string): string | undefined {
	return /^data:([^;,]+)[;,]/.exec(url)?.[1];
}

/** A block in the standard shape, or undefined when it already is (or is not a file). */
function standardBlock(block: Block): Block | undefined {
	if (block.type === 'image_url') {
		const image = block.image_url;
		const url = typeof image === 'string' ? image : isBlock(image) ? image.url : undefined;
		if (typeof url !== 'string') return undefined;
		const detail = isBlock(image) && typeof image.detail === 'string' ? image.detail : undefined;
		const mimeType = mimeOfDataUrl(url);
		return {
			type: 'image',
			url,
			...(mimeType ? { mimeType } : {}),
			...(detail ? { metadata: { detail } } : {}),
		};
	}
	const fileTypes = ['image', 'file', 'audio', 'video'];
	if (fileTypes.includes(block.type as string) && block.mimeType === undefined) {
		const mimeType = block.mime_type;
		if (typeof mimeType !== 'string') return undefined;
		const standard: Block = { ...block, mimeType };
		delete standard.mime_type;
		delete standard.source_type;
		return standard;
	}
	return undefined;
}

/** A message content with its file blocks in the standard shape; the same value when nothing changes. */
export function standardContent(content: unknown): unknown {
	if (!Array.isArray(content)) return content;
	let changed = false;
	const blocks = content.map((block: unknown) => {
		const standard = isBlock(block) ? standardBlock(block) : undefined;
		if (standard) changed = true;
		return standard ?? block;
	});
	return changed ? blocks : content;
}

/** A LangChain message with its file blocks in the standard shape (a copy; the caller's stays as it is). */
export function withStandardFiles<M extends { content: unknown }>(message: M): M {
	const content = standardContent(message.content);
	if (content === message.content) return message;
	return Object.assign(Object.create(Object.getPrototypeOf(message) as object) as M, message, {
		content,
	});
}
