import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { baseUrlOf } from './transport';

/**
 * Credential test. GET /manage/api-keys costs no tokens: 401 means the key is invalid (or its project has
 * no balance), 403 means a valid ordinary key, 200 a management key.
 */
export async function cortecsApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const url = `${baseUrlOf(data)}/manage/api-keys`;
	try {
		// A credential test gets only the `request` helper from n8n (ICredentialTestFunctions).
		// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions
		const response = (await this.helpers.request({
			method: 'GET',
			uri: url,
			headers: { Authorization: `Bearer ${String(data.apiKey ?? '')}`, Accept: 'application/json' },
			json: true,
			simple: false,
			resolveWithFullResponse: true,
			timeout: 20_000,
			// The key goes to the Base URL only, never along a redirect to another host.
			sendCredentialsOnCrossOriginRedirect: false,
		})) as { statusCode: number };
		if (response.statusCode === 200 || response.statusCode === 403) {
			return { status: 'OK', message: 'Connection successful' };
		}
		if (response.statusCode === 401) {
			return { status: 'Error', message: 'The API key is invalid (or its project has no prepaid balance)' };
		}
		return { status: 'Error', message: `Unexpected answer ${response.statusCode} from ${url}` };
	} catch (error) {
		const code = (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
		return { status: 'Error', message: `Could not reach ${url}${code ? ` (${code})` : ''}` };
	}
}
