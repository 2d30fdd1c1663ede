import type {
	IAuthenticateGeneric,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

export class CortecsApi implements ICredentialType {
	name = 'cortecsApi';

	displayName = 'Cortecs API';

	icon: Icon = {
		light: 'file:../nodes/Cortecs/cortecs.svg',
		dark: 'file:../nodes/Cortecs/cortecs.dark.svg',
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
			default: 'https://api.cortecs.ai/v1',
			description:
				'Leave as is for Cortecs. Change it only for a proxy or a Cortecs-compatible test server.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	// No `test` request here on purpose: the only free check, GET /manage/api-keys, answers 403 for a valid
	// ordinary key, and n8n's declarative credential tests treat every non-2xx answer as a failure. The node
	// tests this credential with a function instead (`testedBy: 'cortecsApiTest'`).
}
