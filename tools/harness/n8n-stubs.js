'use strict';
/**
 * What the harnesses hand n8n-core in place of a running n8n: a workflow of the one node under test, an
 * execution's `additionalData` whose credential store gives out the credential data passed in, and the
 * arguments of a manual run.
 * n8n-free on purpose: each harness passes the `Workflow` class of the n8n it runs on.
 */

/**
 * A workflow of one node that uses the Cortecs credential.
 * @param {typeof import('n8n-workflow').Workflow} Workflow
 * @param {object} type the node type instance every lookup returns
 * @param {{id: string, name: string, type: string, parameters: object}} node plus any other node fields
 * @param {object} [settings] the workflow's settings (e.g. `binaryMode`)
 */
function oneNodeWorkflow(Workflow, type, node, settings) {
	const full = {
		typeVersion: 1,
		position: [0, 0],
		credentials: { cortecsApi: { id: 'cred-1', name: 'Cortecs account' } },
		...node,
	};
	const nodeTypes = {
		getByName: () => type,
		getByNameAndVersion: () => type,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({
		id: 'wf-test',
		name: 'test',
		nodes: [full],
		connections: {},
		active: false,
		nodeTypes,
		settings,
	});
	return { workflow, node: full };
}

/**
 * An execution's additional data. Its credentials helper decrypts every credential to `credentials`
 * and, unless `credentialsHelper` replaces them, sends requests as they are and knows no credential
 * properties.
 * @param {object} o
 * @param {object} o.credentials the decrypted credential data
 * @param {object} o.parameters the node's parameters
 * @param {string} [o.executionId]
 * @param {object} [o.credentialsHelper] methods that replace the helper's own
 */
function additionalData({ credentials, parameters, executionId, credentialsHelper = {} }) {
	return {
		executionId,
		credentialsHelper: {
			getParentTypes: () => [],
			// newer n8n-core asks whether a credential type is restricted to certain nodes; ours is not
			isCredentialUsableByNode: () => true,
			authenticate: async (_credentials, _type, requestOptions) => requestOptions,
			preAuthentication: async () => undefined,
			getDecrypted: async () => ({ ...credentials }),
			getCredentials: async () => ({}),
			updateCredentials: async () => {},
			updateCredentialsOauthTokenData: async () => {},
			getCredentialsProperties: () => [],
			...credentialsHelper,
		},
		restApiUrl: '',
		instanceBaseUrl: '',
		formWaitingBaseUrl: '',
		webhookBaseUrl: '',
		webhookWaitingBaseUrl: '',
		webhookTestBaseUrl: '',
		currentNodeParameters: parameters,
		userId: 'test-user',
		variables: {},
		logAiEvent: () => {},
	};
}

/**
 * A manual run of `node` on `items`: the arguments n8n-core's ExecuteContext and SupplyDataContext both
 * start with (`leading`), and the node's entry on the execution stack (`executeData`), which both take
 * after their own arguments.
 */
function manualRun({ workflow, node, data, runExecutionData, items }) {
	const inputData = { main: [items] };
	return {
		leading: [workflow, node, data, 'manual', runExecutionData, 0, items, inputData],
		executeData: { node, data: inputData, source: null },
	};
}

module.exports = { oneNodeWorkflow, additionalData, manualRun };
