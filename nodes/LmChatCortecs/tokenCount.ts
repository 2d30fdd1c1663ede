/** Text of a message content: a string, or the text parts of a list of content blocks. */
function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content
		.map((part) =>
			typeof part === 'string' ? part : typeof part?.text === 'string' ? part.text : '',
		)
		.join('');
}

/**
 * A token count estimated at 4 characters a token, without a download.
 *
 * n8n's chains count tokens through the model (the Summarization Chain decides whether it must summarise
 * the parts first; memories trim history). LangChain's chat model does it with an OpenAI tokenizer that it
 * first downloads from tiktoken.pages.dev, and for ids that are not OpenAI's (all of Cortecs') it picks
 * GPT-2's. That count is no better than the estimate LangChain falls back to when the download fails, and
 * where n8n has no internet access the download is retried for more than a minute per count.
 */
export function estimateTokens(content: unknown): number {
	return Math.ceil(textOf(content).length / 4);
}
