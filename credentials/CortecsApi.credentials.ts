import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { DEFAULT_BASE_URL } from '../nodes/Cortecs/shared/transport';

export class CortecsApi implements ICredentialType {
	name = 'cortecsApi';

	displayName = 'Cortecs API';

	icon: Icon = {
		light: 'file:../icons/cortecs.svg',
		dark: 'file:../icons/cortecs.dark.svg',
	};

	documentationUrl = 'https://docs.cortecs.ai/';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'A project API key from the Cortecs console',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description:
				'Leave as is for Cortecs. Change it only for a proxy or a Cortecs-compatible test server.',
		},
	];

	/**
	 * A function, not n8n's generic block (`Authorization: '=Bearer {{$credentials.apiKey}}'`): n8n evaluates
	 * that expression for every request it authenticates, with a new workflow data proxy each time (about
	 * 0.2 ms), and a run of 1,000 items sends 1,000 requests. n8n calls this function instead, as it is.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.apiKey ?? '')}` },
		};
	}

	// No `test` request here on purpose: the only free check, GET /manage/api-keys, answers 403 for a valid
	// ordinary key, and n8n's declarative credential tests treat every non-2xx answer as a failure. The node
	// tests this credential with a function instead (`testedBy: 'cortecsApiTest'`).
}
