import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { DEFAULT_BASE_URL } from '../nodes/Cortecs/shared/baseUrl';

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
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${String(credentials.apiKey ?? '')}`,
			},
		};
	}

	/**
	 * The Test button: GET /manage/api-keys costs no tokens and answers 401 for an invalid key, 403 for a valid
	 * ordinary key and 200 for a management key. n8n fails a credential test on every non-2xx answer, and its
	 * `responseCode` rules can only choose the failure message, so a valid ordinary key would fail. n8n
	 * therefore gets every answer as it is (`ignoreHttpStatusErrors`) and fails on the bodies that mean a bad
	 * key or a wrong Base URL. Any other answer passes (README, Credentials). Not a function test, n8n's other
	 * kind: it gets only n8n's deprecated `request` helper, which n8n's verification scanner rejects.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/manage/api-keys',
			method: 'GET',
			ignoreHttpStatusErrors: true,
			// The key goes to the Base URL only, never along a redirect to another host.
			sendCredentialsOnCrossOriginRedirect: false,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error',
					value: 'Invalid API key',
					message: 'The API key is invalid (or its project has no prepaid balance)',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'detail',
					value: 'Not Found',
					message:
						'The Base URL does not point at the Cortecs API: it must end in /v1 (https://api.cortecs.ai/v1)',
				},
			},
		],
	};
}
