import type { IDataObject } from 'n8n-workflow';

/** The Cortecs API; the credential's Base URL replaces it for a proxy or a test server. */
export const DEFAULT_BASE_URL = 'https://api.cortecs.ai/v1';

/** The credential's Base URL without trailing slashes, or the default when it is not set. */
export function baseUrlOf(credentials: IDataObject | undefined): string {
	const given = credentials?.baseUrl;
	const url = typeof given === 'string' && given.trim() ? given.trim() : DEFAULT_BASE_URL;
	return url.replace(/\/+$/, '');
}
