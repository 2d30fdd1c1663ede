/**
 * Called by n8n's SDK before its own handling of each failed attempt of a request.
 *
 * n8n's handler lets a retryable failure (429, 5xx, network) be tried again only while the error says
 * retries are left (`error.retriesLeft`). The LangChain that n8n 2.41 bundles (@langchain/core 1.2) no
 * longer writes that count onto the error, so without this no request would ever be retried there, whatever
 * Max Retries says. LangChain's retry loop still stops after Max Retries attempts; an error that already
 * carries the count is left alone.
 */
export function allowRetry(error: unknown): void {
	if (error !== null && typeof error === 'object' && !('retriesLeft' in error)) {
		(error as { retriesLeft?: number }).retriesLeft = 1;
	}
}
