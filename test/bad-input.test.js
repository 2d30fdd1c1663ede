/**
 * Bad input: every case fails its item with a NodeOperationError that names the parameter and the fix,
 * and no request reaches the server. Run through n8n-core's RoutingNode against the test server.
 *
 * Continue On Fail on: the item is `{ json: {error, description, httpCode: null}, error: NodeOperationError,
 * pairedItem }` like any other failed item. Off: RoutingNode re-wraps the error into a NodeApiError
 * (httpCode "none") that keeps our message, description and the item index.
 */
const { NodeApiError, NodeOperationError } = require('n8n-workflow');

const { useCortecsServer } = require('./server-fixture');
const { runNode, chat, say, errorShape } = require('./error-helpers');

const server = useCortecsServer();

const EXAMPLE_MESSAGES = '[{"role": "user", "content": "Hello"}]';
const EXAMPLE_TOOLS =
	'[{"type": "function", "function": {"name": "get_weather", "parameters": {...}}}]';
const EXAMPLE_SCHEMA = '{"type": "object", "properties": {"name": {"type": "string"}}}';
const EXAMPLE_PREDICTION = '{"type": "content", "content": "the text you expect"}';
const TOOL_SHAPE =
	'Each tool is {"type": "function", "function": {"name": "letters_digits_-_only", "description": "...", "parameters": {JSON Schema}}}.';
const EMPTY_CONTENT_FIX =
	'Write the message text, or remove the row. If it comes from an expression, check that the field exists on the input item.';

/** JSON.parse's own words for a text, as the node quotes them. */
function parseError(text) {
	try {
		JSON.parse(text);
	} catch (error) {
		return error.message;
	}
	throw new Error(`${text} is valid JSON`);
}

const json = (messagesJson) => chat({ messagesMode: 'json', messagesJson });
const withOptions = (options) => chat({ options });

/**
 * Options out of range, not numbers or not whole: [label, option, what it takes, values]. An expression's
 * value is quoted in the message as the expression writes it ('={{ "abc" }}' as "abc").
 */
const OUT_OF_RANGE = [
	[
		'Temperature',
		'temperature',
		'a number from 0 to 2',
		[2.5, -0.1, '={{ "abc" }}', '={{ true }}'],
	],
	['Top P', 'topP', 'a number from 0 to 1', [1.5, '={{ "high" }}']],
	['Frequency Penalty', 'frequencyPenalty', 'a number from -2 to 2', [-3]],
	['Presence Penalty', 'presencePenalty', 'a number from -2 to 2', [2.1, '={{ "x" }}']],
	['Number of Choices', 'n', 'a whole number from 1 to 128', [0, 129, 1.5]],
	['Max Tokens', 'maxTokens', 'a whole number of at least 1', [0, '={{ "10.5" }}']],
	['Seed', 'seed', 'a whole number', [1.5, '={{ "lucky" }}']],
];
const shownAs = (value) =>
	typeof value === 'string' ? value.slice('={{ '.length, -' }}'.length) : `${value}`;
const outOfRange = ([label, option, kind, values]) =>
	values.map((value) => [
		`${label} of ${JSON.stringify(value)}`,
		withOptions({ [option]: value }),
		`Options → ${label}: ${shownAs(value)} is not ${kind}`,
		`Set ${kind}, or remove the option to use the model's default.`,
	]);

/** A JSON option (`option`: its one broken value) that is not valid JSON, with `others` set beside it. */
function notJson(label, option, example, others = {}) {
	const [text] = Object.values(option);
	return [
		`${label} not valid JSON`,
		withOptions({ ...others, ...option }),
		`Options → ${label}: not valid JSON (${parseError(text)})`,
		`Write valid JSON, for example ${example}.`,
	];
}

/** [name, parameters, message, description] */
const CASES = [
	// Messages (list)
	[
		'no messages',
		chat({ messages: { message: [] } }),
		'Messages: no messages',
		'Add at least one message with the role User and the text to send.',
	],
	[
		'no messages parameter at all',
		chat({ messages: {} }),
		'Messages: no messages',
		'Add at least one message with the role User and the text to send.',
	],
	[
		'empty user content',
		say('   '),
		'Messages → message 1 (user): the content is empty',
		EMPTY_CONTENT_FIX,
	],
	[
		'empty system row after a good one',
		chat({
			messages: {
				message: [
					{ role: 'user', content: 'Hi' },
					{ role: 'system', content: '' },
				],
			},
		}),
		'Messages → message 2 (system): the content is empty',
		EMPTY_CONTENT_FIX,
	],
	[
		'empty content from an expression',
		chat({ messages: { message: [{ role: 'user', content: '={{ $json.missing }}' }] } }),
		'Messages → message 1 (user): the content is empty',
		EMPTY_CONTENT_FIX,
	],
	[
		'unknown role (from an expression)',
		chat({ messages: { message: [{ role: '={{ "robot" }}', content: 'Hi' }] } }),
		'Messages → message 1: unknown role "robot"',
		'Use System, User or Assistant.',
	],
	// Messages (JSON)
	[
		'messages JSON not valid JSON',
		json('[{"role": "user", '),
		`Messages (JSON): not valid JSON (${parseError('[{"role": "user", ')})`,
		`Write valid JSON, for example ${EXAMPLE_MESSAGES}.`,
	],
	[
		'messages JSON not an array',
		json('"hello"'),
		'Messages (JSON): not an array',
		`Give an array of messages, for example ${EXAMPLE_MESSAGES}.`,
	],
	[
		'messages JSON an object without role',
		json('{"content": "hi"}'),
		'Messages (JSON): not an array',
		`Give an array of messages, for example ${EXAMPLE_MESSAGES}.`,
	],
	[
		'messages JSON empty array',
		json('[]'),
		'Messages (JSON): no messages',
		`Give at least one message, for example ${EXAMPLE_MESSAGES}.`,
	],
	[
		'messages JSON row not an object',
		json('["hi"]'),
		'Messages (JSON) → message 1: not an object',
		`Each message is an object, for example ${EXAMPLE_MESSAGES}.`,
	],
	[
		'messages JSON row without role',
		json('[{"role": "user", "content": "a"}, {"content": "b"}]'),
		'Messages (JSON) → message 2: has no role',
		'Set "role" to one of system, user, assistant, tool, developer.',
	],
	[
		'messages JSON unknown role',
		json('[{"role": "robot", "content": "hi"}]'),
		'Messages (JSON) → message 1: unknown role "robot"',
		'Set "role" to one of system, user, assistant, tool, developer.',
	],
	[
		'messages JSON row without content',
		json('[{"role": "user"}]'),
		'Messages (JSON) → message 1: the user message has no content',
		'Give "content" a text (only an assistant message with tool_calls may leave it empty).',
	],
	[
		'messages JSON content neither text nor parts',
		json('[{"role": "user", "content": 42}]'),
		'Messages (JSON) → message 1: "content" is neither text nor a list of content parts',
		'Make "content" a string, or an array like [{"type": "text", "text": "..."}].',
	],
	[
		'messages JSON tool message without tool_call_id',
		json('[{"role": "user", "content": "a"}, {"role": "tool", "content": "42"}]'),
		'Messages (JSON) → message 2: a tool message has no tool_call_id',
		'Set "tool_call_id" to the id of the tool call this message answers.',
	],
	// Tools
	notJson('Tools', { tools: '[{"type": ' }, EXAMPLE_TOOLS),
	[
		'tools not an array',
		withOptions({ tools: '{"type": "function"}' }),
		'Options → Tools: not an array',
		`Give an array of tools, for example ${EXAMPLE_TOOLS}.`,
	],
	...[
		['tool without function', '[{"type": "function"}]'],
		['tool of another type', '[{"type": "retrieval", "function": {"name": "f"}}]'],
		['tool without a name', '[{"type": "function", "function": {"description": "x"}}]'],
		['tool with a bad name', '[{"type": "function", "function": {"name": "get weather"}}]'],
	].map(([name, tools]) => [
		name,
		withOptions({ tools }),
		'Options → Tools → tool 1: not a function tool with a valid name',
		TOOL_SHAPE,
	]),
	[
		'tool parameters not an object',
		withOptions({ tools: '[{"type": "function", "function": {"name": "f", "parameters": "x"}}]' }),
		'Options → Tools → tool 1 (f): "parameters" is not a JSON Schema object',
		'Set "parameters" to an object schema, e.g. {"type": "object", "properties": {...}}, or leave it out.',
	],
	// Response format
	[
		'JSON Schema format without a schema',
		withOptions({ responseFormat: 'json_schema' }),
		'Options → Response JSON Schema: missing while Response Format is JSON Schema',
		`Add the Response JSON Schema option, for example ${EXAMPLE_SCHEMA}.`,
	],
	notJson('Response JSON Schema', { jsonSchema: '{"type": "object",' }, EXAMPLE_SCHEMA, {
		responseFormat: 'json_schema',
	}),
	[
		'JSON Schema not an object',
		withOptions({ responseFormat: 'json_schema', jsonSchema: '[1, 2]' }),
		'Options → Response JSON Schema: not a JSON object',
		`Give a schema object, for example ${EXAMPLE_SCHEMA}.`,
	],
	[
		'unknown response format',
		withOptions({ responseFormat: '={{ "yaml" }}' }),
		'Options → Response Format: unknown format "yaml"',
		'Use text, json_object or json_schema.',
	],
	// Prediction
	notJson('Prediction', { prediction: '{"type": ' }, EXAMPLE_PREDICTION),
	[
		'prediction of the wrong shape',
		withOptions({ prediction: '{"type": "text", "content": "x"}' }),
		'Options → Prediction: not a content prediction',
		`Give ${EXAMPLE_PREDICTION}.`,
	],
	[
		'prediction without content',
		withOptions({ prediction: '{"type": "content"}' }),
		'Options → Prediction: not a content prediction',
		`Give ${EXAMPLE_PREDICTION}.`,
	],
	// Numbers
	...OUT_OF_RANGE.flatMap(outOfRange),
	[
		'temperature with no value (expression)',
		withOptions({ temperature: '={{ $json.missing }}' }),
		'Options → Temperature: no value',
		"Set a number from 0 to 2, or remove the option to use the model's default. If the value comes from an expression, check that the field exists on the input item.",
	],
	// Model
	[
		'empty model id',
		chat({ model: { __rl: true, mode: 'id', value: '' } }),
		'Model: no model is selected',
		'Pick a model from the list, or type a model id such as mistral-small-2503. If the id comes from an expression, check that the field exists on the input item.',
	],
	[
		'blank model id',
		chat({ model: { __rl: true, mode: 'id', value: '   ' } }),
		'Model: no model is selected',
		'Pick a model from the list, or type a model id such as mistral-small-2503. If the id comes from an expression, check that the field exists on the input item.',
	],
	[
		'model id not text (expression)',
		chat({ model: { __rl: true, mode: 'id', value: '={{ 42 }}' } }),
		'Model: 42 is not a model id',
		'Give the model id as text, such as mistral-small-2503.',
	],
];

describe('bad input fails the item before any request', () => {
	test.each(CASES)('%s (Continue On Fail on)', async (_name, parameters, message, description) => {
		const result = await runNode({ baseUrl: server.url, parameters, continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		const [item] = result.items;
		expect(item.json).toEqual({ error: message, description, httpCode: null });
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.error).toBeInstanceOf(NodeOperationError);
		expect(errorShape(item.error)).toEqual({
			class: 'NodeOperationError',
			message,
			description,
			httpCode: undefined,
			itemIndex: 0,
		});
		expect(server.requests).toHaveLength(0);
	});

	test.each(CASES)('%s (Continue On Fail off)', async (_name, parameters, message, description) => {
		const result = await runNode({ baseUrl: server.url, parameters, continueOnFail: false });
		expect(result.items).toEqual([]);
		// RoutingNode re-wraps every non-API error of a declarative node into a NodeApiError (httpCode "none").
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(errorShape(result.error)).toEqual({
			class: 'NodeApiError',
			message,
			description,
			httpCode: 'none',
			itemIndex: 0,
		});
		expect(server.requests).toHaveLength(0);
	});

	test('the case list covers every group and has no duplicate names', () => {
		expect(new Set(CASES.map(([name]) => name)).size).toBe(CASES.length);
		const messages = CASES.map(([, , message]) => message.split(':')[0].split(' →')[0]);
		for (const field of ['Messages', 'Messages (JSON)', 'Options', 'Model'])
			expect(messages).toContain(field);
	});
});

describe('only the bad items fail', () => {
	test('a bad item among good ones: its own error, in its place; the others are sent and answered', async () => {
		const items = ['one', '', 'three', '   ', 'five'].map((text) => ({ json: { text } }));
		const parameters = chat({
			messages: { message: [{ role: 'user', content: '={{ $json.text }}' }] },
		});
		const { items: out, error } = await runNode({
			baseUrl: server.url,
			parameters,
			items,
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(out.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(out.map((item) => item.json.content ?? item.json.error)).toEqual([
			'Echo: one',
			'Messages → message 1 (user): the content is empty',
			'Echo: three',
			'Messages → message 1 (user): the content is empty',
			'Echo: five',
		]);
		expect(out.map((item) => item.error?.context?.itemIndex)).toEqual([
			undefined,
			1,
			undefined,
			3,
			undefined,
		]);
		expect(
			server
				.chatRequests()
				.map((r) => r.body.messages[0].content)
				.sort(),
		).toEqual(['five', 'one', 'three']);
	});

	test('Continue On Fail off: the error names the bad item', async () => {
		const items = ['one', 'two', ''].map((text) => ({ json: { text } }));
		const parameters = chat({
			messages: { message: [{ role: 'user', content: '={{ $json.text }}' }] },
		});
		const { error } = await runNode({ baseUrl: server.url, parameters, items });
		expect(errorShape(error)).toEqual({
			class: 'NodeApiError',
			message: 'Messages → message 1 (user): the content is empty',
			description: EMPTY_CONTENT_FIX,
			httpCode: 'none',
			itemIndex: 2,
		});
		expect(server.chatRequests().some((r) => r.body.messages[0].content === '')).toBe(false);
	});
});

describe('numbers from expressions', () => {
	// n8n does not check `number` parameters at run time (no validateType), so whatever an expression gives
	// reaches the node: numeric strings are accepted as numbers, anything else is one clear error per item.
	const values = [0.5, '0.5', ' 1.25 ', 'abc', 3, '', null, true, '1e0', 0];
	// keyed by String(value): 0.5 and '0.5' share the key '0.5'
	const expected = {
		0.5: 0.5,
		' 1.25 ': 1.25,
		abc: 'Options → Temperature: "abc" is not a number from 0 to 2',
		3: 'Options → Temperature: 3 is not a number from 0 to 2',
		'': 'Options → Temperature: no value',
		null: 'Options → Temperature: no value',
		true: 'Options → Temperature: true is not a number from 0 to 2',
		'1e0': 1,
		0: 0,
	};

	test('temperature = {{ $json.t }}: one output per item, numbers sent as numbers', async () => {
		const items = values.map((t) => ({ json: { t } }));
		const parameters = chat({ options: { temperature: '={{ $json.t }}' } });
		const { items: out, error } = await runNode({
			baseUrl: server.url,
			parameters,
			items,
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(out).toHaveLength(values.length);
		out.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			const want = expected[String(values[index])];
			if (typeof want === 'number') {
				expect(item.json.content).toBe('Echo: Hello');
				expect(item.error).toBeUndefined();
			} else {
				expect(item.json.error).toBe(want);
				expect(item.error).toBeInstanceOf(NodeOperationError);
				expect(item.error.context.itemIndex).toBe(index);
			}
		});
		const sent = server.chatRequests().map((r) => r.body.temperature);
		expect(sent.sort()).toEqual([0, 0.5, 0.5, 1, 1.25]);
		expect(sent.every((t) => typeof t === 'number')).toBe(true);
	});

	test('a literal "0.5" from an expression is sent as the number 0.5', async () => {
		const { items } = await runNode({
			baseUrl: server.url,
			parameters: chat({ options: { temperature: '={{ "0.5" }}' } }),
		});
		expect(items[0].json.content).toBe('Echo: Hello');
		expect(server.chatRequests()[0].body.temperature).toBe(0.5);
	});

	test('Continue On Fail off: "abc" fails the node once, naming Temperature and the item', async () => {
		const items = [{ json: { t: 0.2 } }, { json: { t: 'abc' } }];
		const parameters = chat({ options: { temperature: '={{ $json.t }}' } });
		const { error } = await runNode({ baseUrl: server.url, parameters, items });
		expect(errorShape(error)).toEqual({
			class: 'NodeApiError',
			message: 'Options → Temperature: "abc" is not a number from 0 to 2',
			description: "Set a number from 0 to 2, or remove the option to use the model's default.",
			httpCode: 'none',
			itemIndex: 1,
		});
		expect(server.chatRequests().map((r) => r.body.temperature)).toEqual([0.2]);
	});
});

describe('good input still passes', () => {
	test('messages JSON given as an array by an expression, with a tool round trip', async () => {
		const messages = [
			{ role: 'user', content: 'weather?' },
			{
				role: 'assistant',
				content: null,
				tool_calls: [{ id: 'c1', type: 'function', function: { name: 'w', arguments: '{}' } }],
			},
			{ role: 'tool', tool_call_id: 'c1', content: 'sunny' },
			{ role: 'user', content: 'thanks' },
		];
		const parameters = chat({ messagesMode: 'json', messagesJson: '={{ $json.messages }}' });
		const { items, error } = await runNode({
			baseUrl: server.url,
			parameters,
			items: [{ json: { messages } }],
		});
		expect(error).toBeUndefined();
		expect(items[0].json.content).toBe('Echo: thanks');
		expect(server.chatRequests()[0].body.messages).toEqual(messages);
	});

	test('edge values of every range are accepted', async () => {
		const options = {
			temperature: 2,
			topP: 0,
			frequencyPenalty: -2,
			presencePenalty: 2,
			n: 1,
			maxTokens: 1,
			seed: -7,
		};
		const { items, error } = await runNode({ baseUrl: server.url, parameters: chat({ options }) });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(server.chatRequests()[0].body).toMatchObject({
			temperature: 2,
			top_p: 0,
			frequency_penalty: -2,
			presence_penalty: 2,
			n: 1,
			max_tokens: 1,
			seed: -7,
		});
	});
});
