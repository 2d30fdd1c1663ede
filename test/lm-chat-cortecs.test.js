/**
 * The Cortecs Chat Model on n8n 2.8 (this project's n8n-core / n8n-workflow), which has no AI node SDK:
 * the package loads, and using the sub-node fails with an error naming the n8n version it needs.
 * Its real work is tested on the newest n8n: test/chat-model-latest/ (npm run test:chat-model).
 */
const path = require('node:path');
const { NodeOperationError } = require('n8n-workflow');
const { supplyModel, searchModels, chatModelParameters } = require('../tools/harness/supply-data');
const { MODELS } = require('../tools/cortecs-server');
const { useCortecsServer } = require('./server-fixture');

const server = useCortecsServer();

const root = path.join(__dirname, '..');

test('the SDK is really absent here (otherwise the next tests prove nothing)', () => {
	expect(() =>
		require.resolve('@n8n/ai-node-sdk', {
			paths: [path.join(root, 'dist', 'nodes', 'LmChatCortecs')],
		}),
	).toThrow(/@n8n\/ai-node-sdk/);
});

test('every node and credential package.json names loads without the SDK', () => {
	const { n8n } = require(path.join(root, 'package.json'));
	const loaded = [...n8n.nodes, ...n8n.credentials].map((file) => {
		const exports = require(path.join(root, file));
		const [name] = Object.keys(exports);
		return [path.basename(file), new exports[name]().description?.name ?? new exports[name]().name];
	});
	expect(loaded).toEqual([
		['Cortecs.node.js', 'cortecs'],
		['LmChatCortecs.node.js', 'lmChatCortecs'],
		['EmbeddingsCortecs.node.js', 'embeddingsCortecs'],
		['CortecsApi.credentials.js', 'cortecsApi'],
	]);
});

test('using the sub-node fails with a NodeOperationError naming the minimum n8n version, before any request', async () => {
	const error = await supplyModel({
		baseUrl: 'http://127.0.0.1:9/v1',
		parameters: chatModelParameters(),
	}).then(
		() => null,
		(e) => e,
	);
	expect(error).toBeInstanceOf(NodeOperationError);
	expect(error.message).toBe(
		'The Cortecs Chat Model needs n8n 2.16.0 or newer: update n8n, or use the Cortecs node',
	);
	expect(error.description).toBe(
		"It is built on n8n's AI node SDK (@n8n/ai-node-sdk), which n8n ships from version 2.16.0 on. " +
			'The Cortecs node (Chat → Message a Model) works on this version.',
	);
	expect(error.node.name).toBe('Cortecs Chat Model');
});

test('the sub-node is an AI language model with no inputs, no usableAsTool, and the same credential', () => {
	const { LmChatCortecs } = require(
		path.join(root, 'dist', 'nodes', 'LmChatCortecs', 'LmChatCortecs.node.js'),
	);
	const { description, methods } = new LmChatCortecs();
	expect(description.inputs).toEqual([]);
	expect(description.outputs).toEqual(['ai_languageModel']);
	expect(description.outputNames).toEqual(['Model']);
	expect(description.usableAsTool).toBeUndefined();
	expect(description.credentials).toEqual([{ name: 'cortecsApi', required: true }]);
	expect(Object.keys(methods.listSearch)).toEqual(['searchModels']);
	expect(description.properties.map((p) => p.name)).toEqual(['model', 'options', 'routerOptions']);
});

test('package.json declares the SDK as n8n requires for AI nodes: a peer dependency and aiNodeSdkVersion', () => {
	const pkg = require(path.join(root, 'package.json'));
	expect(pkg.peerDependencies['@n8n/ai-node-sdk']).toBe('*');
	expect(pkg.n8n.aiNodeSdkVersion).toBe(1);
	expect(pkg.dependencies ?? {}).toEqual({});
});

test('the model list is the Cortecs node’s chat catalogue; models without tools (an agent needs them) are marked and last', async () => {
	const { results } = await searchModels({ baseUrl: server.url });
	// Models that only embed are not offered: they cannot answer a chat request.
	const ids = (tools) =>
		MODELS.filter((m) => m.tags.some((tag) => tag !== 'Embedding'))
			.filter((m) => m.supported_features.includes('tools') === tools)
			.map((m) => m.id)
			.sort();
	expect(results.map((r) => r.value)).toEqual([...ids(true), ...ids(false)]);
	for (const r of results) expect(r.name.includes('⚠ no tools')).toBe(ids(false).includes(r.value));
	expect(results.find((r) => r.value === 'mistral-small-2503').description).toMatch(
		/€0\.1 in \/ €0\.3 out per 1M tokens/,
	);
	// the catalogue needs no key, so none is sent
	expect(
		server.requests.every((r) => r.path === '/v1/models' && r.headers.authorization === undefined),
	).toBe(true);

	const json = await searchModels({
		baseUrl: server.url,
		parameters: chatModelParameters({ options: { responseFormat: 'json_object' } }),
	});
	expect(json.results.find((r) => r.value === 'deepseek-r1-distill-llama-70b').name).toMatch(
		/⚠ no tools, json_mode/,
	);
	const filtered = await searchModels({ baseUrl: server.url, filter: 'llama' });
	expect(filtered.results.map((r) => r.value)).toEqual([
		'llama-3.3-70b-instruct',
		'deepseek-r1-distill-llama-70b',
	]);
});
