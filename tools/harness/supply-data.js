'use strict';
/**
 * Runs the compiled Cortecs Chat Model the way n8n does: a real Workflow, n8n-core's SupplyDataContext
 * calling the node's `supplyData`, the credential's data as n8n decrypts it, and (where n8n ships it) the
 * real @n8n/ai-node-sdk building the chat model, which then talks HTTP to a loopback server.
 *
 * Which n8n: by default the project's own n8n-core / n8n-workflow (n8n 2.8, no SDK). With
 * `N8N_MODULES=<an n8n install>/node_modules` (set by `npm run test:chat-model`), n8n-core, n8n-workflow
 * and the SDK of that install; the package is then copied outside this checkout, so that its
 * `require('n8n-workflow')` and `require('@n8n/ai-node-sdk')` resolve to n8n's copies through NODE_PATH,
 * as they do inside n8n.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Module = require('node:module');
const { oneNodeWorkflow, additionalData, manualRun } = require('./n8n-stubs');

const ROOT = path.join(__dirname, '..', '..');
const N8N_MODULES = process.env.N8N_MODULES || null;

const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'cortecs-chat-model-test-'));
process.env.N8N_USER_FOLDER ??= userFolder;
process.env.N8N_ENCRYPTION_KEY ??= 'n8n-nodes-cortecs-test';

/** A module of the n8n under test. */
function n8nModule(name) {
	return require(N8N_MODULES ? require.resolve(name, { paths: [N8N_MODULES] }) : name);
}

/** The package as n8n sees it: with N8N_MODULES, a copy of package.json and dist/ in a folder of its own. */
function packageRoot() {
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes', 'LmChatCortecs', 'LmChatCortecs.node.js'))) {
		throw new Error('dist/ is missing: run "npm run build" first');
	}
	if (!N8N_MODULES) return ROOT;
	const target = path.join(userFolder, 'nodes', 'node_modules', 'n8n-nodes-cortecs');
	fs.mkdirSync(target, { recursive: true });
	fs.cpSync(path.join(ROOT, 'dist'), path.join(target, 'dist'), { recursive: true });
	fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(target, 'package.json'));
	// What n8n does before it loads community packages: its own modules become the global search path.
	process.env.NODE_PATH = [N8N_MODULES, process.env.NODE_PATH].filter(Boolean).join(path.delimiter);
	Module._initPaths();
	return target;
}

const PACKAGE_ROOT = packageRoot();
const { Workflow, NodeConnectionTypes } = n8nModule('n8n-workflow');
const { SupplyDataContext, LoadOptionsContext } = n8nModule('n8n-core');
const { Container } = n8nModule('@n8n/di');

// n8n-core's SSH tunnel manager keeps a cleanup interval alive, which would keep the test process running.
try {
	const { SSHClientsManager } = n8nModule('n8n-core/dist/execution-engine/ssh-clients-manager');
	Container.get(SSHClientsManager).cleanupTimer?.unref();
} catch {
	/* not in this n8n-core */
}

/** The sub-nodes: where each is compiled, its type and name in a workflow, the connection it supplies. */
const SUB_NODES = {
	chat: {
		file: 'LmChatCortecs',
		type: 'n8n-nodes-cortecs.lmChatCortecs',
		name: 'Cortecs Chat Model',
		connection: NodeConnectionTypes.AiLanguageModel,
	},
	embeddings: {
		file: 'EmbeddingsCortecs',
		type: 'n8n-nodes-cortecs.embeddingsCortecs',
		name: 'Cortecs Embeddings',
		connection: NodeConnectionTypes.AiEmbedding,
	},
};
const NODE_NAME = SUB_NODES.chat.name;

function nodeType(kind = 'chat') {
	const { file } = SUB_NODES[kind];
	const compiled = path.join(PACKAGE_ROOT, 'dist', 'nodes', file, `${file}.node.js`);
	return new (require(compiled)[file])();
}

/** The credential's own `authenticate` (a function), as n8n's CredentialsHelper applies it. */
async function authenticate(credentials, _type, requestOptions) {
	const file = path.join(PACKAGE_ROOT, 'dist', 'credentials', 'CortecsApi.credentials.js');
	return await new (require(file).CortecsApi)().authenticate(credentials, requestOptions);
}

function makeWorkflow(kind, type, parameters) {
	const { type: nodeTypeName, name } = SUB_NODES[kind];
	return oneNodeWorkflow(Workflow, type, {
		id: `${kind}-sub-node`,
		name,
		type: nodeTypeName,
		parameters,
	});
}

/** Calls the sub-node's Model list search through n8n-core's LoadOptionsContext. */
async function searchModels({
	baseUrl,
	apiKey = 'test-key-valid',
	parameters = chatModelParameters(),
	filter,
}) {
	const type = nodeType();
	const { workflow, node } = makeWorkflow('chat', type, parameters);
	const context = new LoadOptionsContext(
		workflow,
		node,
		additionalData({
			credentials: { apiKey, baseUrl },
			parameters,
			executionId: 'test-execution',
		}),
		'parameters.model',
	);
	return await type.methods.listSearch.searchModels.call(context, filter);
}

/**
 * Calls a sub-node's supplyData once, as n8n does when a root node (agent, chain, vector store) asks for
 * it. `kind`: a key of SUB_NODES.
 * @returns {Promise<{response: any, runData: () => object, type: object, context: object}>}
 */
async function supplySubNode(kind, { baseUrl, apiKey = 'test-key-valid', parameters }) {
	const type = nodeType(kind);
	const { workflow, node } = makeWorkflow(kind, type, parameters);
	const data = additionalData({
		credentials: { apiKey, baseUrl },
		parameters,
		executionId: 'test-execution',
		credentialsHelper: { authenticate },
	});
	const runExecutionData = {
		resultData: { runData: {} },
		executionData: { nodeExecutionStack: [], metadata: {} },
	};
	const { leading, executeData } = manualRun({
		workflow,
		node,
		data,
		runExecutionData,
		items: [{ json: {} }],
	});
	const context = new SupplyDataContext(...leading, SUB_NODES[kind].connection, executeData, []);
	const supplied = await type.supplyData.call(context, 0);
	return {
		...supplied,
		type,
		context,
		runData: () => runExecutionData.resultData.runData[SUB_NODES[kind].name],
	};
}

/** The Chat Model's supplyData, as an AI Agent or chain calls it. */
const supplyModel = (options) => supplySubNode('chat', options);

/** The chat model's parameters as the editor stores them; extra fields override. */
function chatModelParameters(extra = {}) {
	return {
		model: { __rl: true, mode: 'list', value: 'mistral-small-2503' },
		options: {},
		...extra,
	};
}

module.exports = {
	supplyModel,
	supplySubNode,
	searchModels,
	chatModelParameters,
	n8nModule,
	nodeType,
	N8N_MODULES,
	NODE_NAME,
	PACKAGE_ROOT,
};
