/**
 * Runs the compiled Cortecs node the way n8n does: a real Workflow, n8n-core's ExecuteContext and
 * RoutingNode, the credential's real `authenticate`, and real HTTP to a loopback server.
 * Nothing of the node is stubbed; only n8n's credential store is replaced by the data passed in.
 */
const path = require('node:path');
const os = require('node:os');
const fs = require('node:fs');

// n8n-core writes config and keys under the user folder; keep tests away from ~/.n8n.
const userFolder = path.join(os.tmpdir(), 'n8n-nodes-cortecs-test');
fs.mkdirSync(userFolder, { recursive: true });
process.env.N8N_USER_FOLDER ??= userFolder;
process.env.N8N_ENCRYPTION_KEY ??= 'n8n-nodes-cortecs-test';

const get = require('lodash/get');
const { Workflow } = require('n8n-workflow');
const { ExecuteContext, LoadOptionsContext, RoutingNode } = require('n8n-core');
const { Container } = require('@n8n/di');
const { oneNodeWorkflow, additionalData, manualRun } = require('./n8n-stubs');
const { SSHClientsManager } = require('n8n-core/dist/execution-engine/ssh-clients-manager');

// n8n-core's SSH tunnel manager (created with every execution context) keeps a 60 s cleanup interval
// alive; in n8n it lives as long as the process, in a test run it would keep jest from exiting.
Container.get(SSHClientsManager).cleanupTimer?.unref();

const root = path.join(__dirname, '..', '..');
const { name: packageName } = require(path.join(root, 'package.json'));
const NODE_TYPE = `${packageName}.cortecs`;

function load(relative, exportName) {
	const file = path.join(root, 'dist', relative);
	if (!fs.existsSync(file)) throw new Error(`${file} is missing: run "npm run build" first`);
	return new (require(file)[exportName])();
}

const { DirectoryLoader } = require('n8n-core');

/** As n8n's loader does: adds the Request Options (Batching, Timeout…) that n8n gives declarative nodes. */
function nodeType() {
	const type = load('nodes/Cortecs/Cortecs.node.js', 'Cortecs');
	DirectoryLoader.applyDeclarativeNodeOptionParameters(type);
	return type;
}
const credentialType = () => load('credentials/CortecsApi.credentials.js', 'CortecsApi');

/**
 * Applies the credential's `authenticate` as n8n's CredentialsHelper does: a function is called as it is;
 * a generic block has its expressions resolved with `$credentials`.
 */
async function authenticate(workflow, node, credentials, requestOptions) {
	const type = credentialType();
	const auth = type.authenticate;
	if (typeof auth === 'function') return await type.authenticate(credentials, requestOptions);
	const resolve = (value) =>
		workflow.expression.getParameterValue(value, null, 0, 0, node.name, [], 'internal', {
			$credentials: credentials,
		});
	const options = { ...requestOptions, headers: { ...(requestOptions.headers ?? {}) } };
	for (const [header, value] of Object.entries(auth.properties.headers ?? {})) {
		options.headers[header] = resolve(value);
	}
	return options;
}

function makeWorkflow(type, parameters, { continueOnFail = false, onError, settings } = {}) {
	return oneNodeWorkflow(
		Workflow,
		type,
		{
			id: 'cortecs-node',
			name: 'Cortecs',
			type: NODE_TYPE,
			parameters,
			...(onError ? { onError } : { continueOnFail }),
		},
		settings,
	);
}

/** With the credential's real `authenticate` and properties; `credentialLog` gets each type decrypted. */
function additionalDataFor(workflow, node, credentials, parameters, executionId, credentialLog) {
	return additionalData({
		credentials,
		parameters,
		executionId,
		credentialsHelper: {
			authenticate: async (data, _type, requestOptions) =>
				await authenticate(workflow, node, data, requestOptions),
			async getDecrypted(_additional, _nodeCredentials, type) {
				credentialLog.push(type);
				return { ...credentials };
			},
			getCredentialsProperties: () => credentialType().properties,
		},
	});
}

/**
 * Runs one node execution.
 * @param {object} o
 * @param {string} o.baseUrl Base URL of the credential (the test server's url).
 * @param {string} [o.apiKey]
 * @param {object} o.parameters Node parameters as the editor stores them.
 * @param {Array<{json: object}>} [o.items] Input items; one empty item by default.
 * @param {boolean} [o.continueOnFail]
 * @param {string} [o.executionId]
 * @param {AbortSignal} [o.abortSignal]
 * @param {object} [o.type] A node type instance to use instead of a fresh one.
 * @param {object} [o.settings] The workflow's settings (e.g. `{ binaryMode: 'combined' }`).
 * @returns {Promise<{items: object[], error?: Error, credentialTypes: string[]}>}
 */
async function runNode({
	baseUrl,
	apiKey = 'test-key-valid',
	parameters,
	items = [{ json: {} }],
	continueOnFail,
	onError,
	executionId,
	abortSignal,
	type,
	settings,
}) {
	const instance = type ?? nodeType();
	const { workflow, node } = makeWorkflow(instance, parameters, {
		continueOnFail,
		onError,
		settings,
	});
	const credentialTypes = [];
	const data = additionalDataFor(
		workflow,
		node,
		{ apiKey, baseUrl },
		parameters,
		executionId,
		credentialTypes,
	);
	const runExecutionData = { resultData: { runData: {} } };
	const { leading, executeData } = manualRun({ workflow, node, data, runExecutionData, items });
	const context = new ExecuteContext(...leading, executeData, [], abortSignal);
	try {
		const output = await new RoutingNode(context, instance).runNode();
		return { items: output?.[0] ?? [], credentialTypes };
	} catch (error) {
		return { items: [], error, credentialTypes };
	}
}

/** Calls a Model field's list search (`method`) through n8n-core's LoadOptionsContext. */
async function searchModels({
	baseUrl,
	apiKey = 'test-key-valid',
	parameters = {},
	filter,
	method = 'searchModels',
}) {
	const instance = nodeType();
	const { workflow, node } = makeWorkflow(instance, parameters);
	const data = additionalDataFor(workflow, node, { apiKey, baseUrl }, parameters, undefined, []);
	const context = new LoadOptionsContext(workflow, node, data, 'parameters.model');
	return await instance.methods.listSearch[method].call(context, filter);
}

/**
 * Runs the credential's declarative `test` the way n8n's CredentialsTester does (n8n 2.8.4 and 2.41.1,
 * credentials-tester.service): a temporary node whose one property routes `test.request`, run by n8n-core's
 * RoutingNode with the decrypted credential; an error becomes 'Error' (a `responseCode` rule only picks its
 * message), an answer fails when one of its `responseSuccessBody` rules matches the body, else 'OK'.
 * The whole chain inside a real n8n is proven in test/e2e.
 */
async function testCredential({ baseUrl, apiKey }) {
	const { request, rules = [] } = credentialType().test;
	const testType = {
		description: {
			displayName: 'No Operation, do nothing',
			name: 'n8n-nodes-base.noOp',
			group: ['organization'],
			version: 1,
			description: 'No Operation',
			defaults: { name: 'No Operation, do nothing' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'cortecsApi', required: true }],
			properties: [
				{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request }, default: '' },
			],
		},
	};
	const { workflow, node } = makeWorkflow(testType, {});
	const data = additionalDataFor(workflow, node, { apiKey, baseUrl }, {}, undefined, []);
	const items = [{ json: {} }];
	const inputData = { main: [items] };
	const context = new ExecuteContext(
		workflow,
		node,
		data,
		'internal',
		{ resultData: { runData: {} } },
		0,
		[],
		inputData,
		{ node, data: {}, source: null },
		[],
	);
	const decrypted = {
		id: 'cred-1',
		name: 'Cortecs account',
		type: 'cortecsApi',
		data: { apiKey, baseUrl },
	};
	let response;
	try {
		response = await new RoutingNode(context, testType, decrypted).runNode();
	} catch (error) {
		const status = error.cause?.response?.status;
		if (status !== undefined) {
			const rule = rules.find((r) => r.type === 'responseCode' && r.properties.value === status);
			if (rule) return { status: 'Error', message: rule.properties.message };
			if (status < 199 || status > 299)
				return {
					status: 'Error',
					message: error.cause.response.statusText || `Received HTTP status code: ${status}`,
				};
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: error.message.toString() };
	}
	const body = response[0][0].json;
	const failed = rules.find(
		(r) => r.type === 'responseSuccessBody' && get(body, r.properties.key) === r.properties.value,
	);
	return failed
		? { status: 'Error', message: failed.properties.message }
		: { status: 'OK', message: 'Connection successful!' };
}

/** A chat-complete parameter set with one user message; extra fields override. */
function chatParameters(extra = {}) {
	return {
		resource: 'chat',
		operation: 'complete',
		model: { __rl: true, mode: 'list', value: 'mistral-small-2503' },
		messages: { message: [{ role: 'user', content: 'Hello' }] },
		...extra,
	};
}

module.exports = {
	runNode,
	searchModels,
	testCredential,
	chatParameters,
	nodeType,
	credentialType,
	NODE_TYPE,
};
