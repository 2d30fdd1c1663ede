import type { IDataObject } from 'n8n-workflow';

/** The Cortecs API; the credential's Base URL replaces it for a proxy or a test server. */
export const DEFAULT_BASE_URL = 'https://api.cortecs.ai/v1';

/** The credential's Base URL without trailing slashes, or the default when it is not set. */
export function baseUrlOf(credentials: IDataObject | undefined): string {
	const given = credentials?.baseUrl;
	const url = typeof given === 'string' && given.trim() ? given.trim() : DEFAULT_BASE_URL;
	return url.replace(/\/+$/, '');
}

/**
 * Request options of the sub-nodes' own requests to the Base URL: the API never redirects, so a redirect
 * is the Base URL's mistake (errors.ts answerError names it), and must not take the key along.
 */
export const NO_REDIRECTS = { disableFollowRedirect: true } as const;
