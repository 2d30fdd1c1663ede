/**
 * One check per rule: the same bad input fails with the same message and fix in every node that has the
 * field, before any request. The Cortecs node through n8n-core's RoutingNode (Continue On Fail on: the
 * item's NodeOperationError), the sub-nodes through SupplyDataContext (supplyData rejects). The Chat Model
 * checks its parameters before it loads n8n's AI node SDK, so its checks run on this n8n too.
 */
const { runNode } = require('../tools/harness/routing');
const { supplySubNode } = require('../tools/harness/supply-data');
const { useCortecsServer } = require('./server-fixture');

const server = useCortecsServer();

const CHAT_MODEL = { __rl: true, mode: 'list', value: 'mistral-small-2503' };
const EMBEDDING_MODEL = { __rl: true, mode: 'list', value: 'multilingual-e5-large' };

/** `set`: the parameters under test (model, options, routerOptions), as each node stores them. */
async function cortecs(parameters) {
	const { items, error } = await runNode({
		baseUrl: server.url,
		parameters: { throughput: { maxRetries: 0 }, ...parameters },
		items: [{ json: { text: 'a' } }],
		continueOnFail: true,
	});
	return error ?? items[0].error;
}

async function subNode(kind, parameters) {
	return await supplySubNode(kind, { baseUrl: server.url, parameters }).then(
		() => new Error('supplyData did not fail'),
		(error) => error,
	);
}

const NODES = {
	'Chat → Complete': (set) =>
		cortecs({
			resource: 'chat',
			operation: 'complete',
			model: CHAT_MODEL,
			messages: { message: [{ role: 'user', content: 'Hello' }] },
			...set,
		}),
	'Embedding → Create': (set) =>
		cortecs({
			resource: 'embedding',
			operation: 'create',
			model: EMBEDDING_MODEL,
			text: '={{ $json.text }}',
			...set,
		}),
	'Cortecs Chat Model': (set) => subNode('chat', { model: CHAT_MODEL, options: {}, ...set }),
	'Cortecs Embeddings': (set) =>
		subNode('embeddings', { model: EMBEDDING_MODEL, options: {}, ...set }),
};
const ALL = Object.keys(NODES);
const CHAT = ['Chat → Complete', 'Cortecs Chat Model'];
const EMBEDDINGS = ['Embedding → Create', 'Cortecs Embeddings'];

const NO_MODEL_FIX = (example) =>
	`Pick a model from the list, or type a model id such as ${example}. If the id comes from an expression, check that the field exists on the input item.`;
const NOT_A_LIST = 'Give a list of strings, or remove the option.';

/** [bad input, the nodes that have the field, parameters, message, fix (by node when it names a model)] */
const BAD_INPUT = [
	[
		'no model',
		ALL,
		{ model: { __rl: true, mode: 'id', value: ' ' } },
		'Model: no model is selected',
		(node) => NO_MODEL_FIX(CHAT.includes(node) ? 'mistral-small-2503' : 'multilingual-e5-large'),
	],
	[
		'a model id that is not text (expression)',
		ALL,
		{ model: { __rl: true, mode: 'id', value: '={{ 42 }}' } },
		'Model: 42 is not a model id',
		(node) =>
			`Give the model id as text, such as ${CHAT.includes(node) ? 'mistral-small-2503' : 'multilingual-e5-large'}.`,
	],
	[
		'Temperature out of range',
		CHAT,
		{ options: { temperature: 3 } },
		'Options → Temperature: 3 is not a number from 0 to 2',
		"Set a number from 0 to 2, or remove the option to use the model's default.",
	],
	[
		'Max Tokens with no value (expression)',
		CHAT,
		{ options: { maxTokens: '={{ $json.missing }}' } },
		'Options → Max Tokens: no value',
		"Set a whole number of at least 1, or remove the option to use the model's default. If the value comes from an expression, check that the field exists on the input item.",
	],
	[
		'Stop Sequences not texts (expression)',
		CHAT,
		{ options: { stop: '={{ [1, 2] }}' } },
		'Options → Stop Sequences: not a list of texts',
		NOT_A_LIST,
	],
	[
		'Batch Size out of range',
		EMBEDDINGS,
		{ options: { batchSize: 3000 } },
		'Options → Batch Size: 3000 is not a whole number from 1 to 2048',
		'Set a whole number from 1 to 2048, or remove the option to use its default (100).',
	],
	[
		'Allowed Providers not texts (expression)',
		ALL,
		{ routerOptions: { allowedProviders: '={{ 42 }}' } },
		'Routing → Allowed Providers: not a list of texts',
		NOT_A_LIST,
	],
	[
		'Fallback Models not texts (expression)',
		EMBEDDINGS,
		{ routerOptions: { fallbacks: '={{ { "a": 1 } }}' } },
		'Routing → Fallback Models: not a list of texts',
		NOT_A_LIST,
	],
];

test.each(BAD_INPUT)(
	'%s: the same message in every node that has the field',
	async (_input, nodes, set, message, fix) => {
		const got = {};
		for (const node of nodes) {
			const error = await NODES[node](set);
			got[node] = [error.constructor.name, error.message, error.description];
		}
		const fixOf = typeof fix === 'function' ? fix : () => fix;
		expect(got).toEqual(
			Object.fromEntries(nodes.map((node) => [node, ['NodeOperationError', message, fixOf(node)]])),
		);
		expect([...server.chatRequests(), ...server.embeddingRequests()]).toEqual([]);
	},
);
