/** chatModelSettings (nodes/LmChatCortecs/settings.ts): the Cortecs Chat Model's parameters as its request body and attempt limits. */
const { NodeOperationError } = require('n8n-workflow');
const { chatModelSettings } = require('../../dist/nodes/LmChatCortecs/settings');

const node = require('./stubs').nodeNamed('Cortecs Chat Model', 'n8n-nodes-cortecs.lmChatCortecs');
const MODEL = 'mistral-small-2503';
const settings = (options = {}, routing = {}) => chatModelSettings(node, MODEL, options, routing);
/** The body fields besides the model. */
const fields = (options, routing) => {
	const { model, ...rest } = settings(options, routing).body;
	expect(model).toBe(MODEL);
	return rest;
};

test('nothing set: the model, the timeout (600 s) and retries (2), no other body fields', () => {
	expect(settings()).toEqual({ timeout: 600_000, maxRetries: 2, body: { model: MODEL } });
});

test("every option goes into the body under the Cortecs node's API name; timeout and retries are the attempts' limits", () => {
	expect(
		settings({
			temperature: 0.2,
			maxTokens: 256,
			topP: 0.9,
			frequencyPenalty: -1.5,
			presencePenalty: 1.25,
			stop: ['END', '###'],
			seed: 42,
			reasoningEffort: 'high',
			responseFormat: 'json_object',
			timeout: 30,
			maxRetries: 0,
		}),
	).toEqual({
		timeout: 30_000,
		maxRetries: 0,
		body: {
			model: MODEL,
			max_tokens: 256,
			temperature: 0.2,
			top_p: 0.9,
			frequency_penalty: -1.5,
			presence_penalty: 1.25,
			stop: ['END', '###'],
			seed: 42,
			reasoning_effort: 'high',
			response_format: { type: 'json_object' },
		},
	});
});

test('every router field goes into the body under its API name, false and defaults included when set', () => {
	expect(
		settings(
			{},
			{
				preference: 'cost',
				allowedProviders: ['mistral', 'ovh'],
				euNative: true,
				allowQuantization: false,
				allowZeroDataRetention: true,
				enableModelFallback: false,
			},
		).body,
	).toEqual({
		model: MODEL,
		preference: 'cost',
		allowed_providers: ['mistral', 'ovh'],
		eu_native: true,
		allow_quantization: false,
		allow_zero_data_retention: true,
		enable_model_fallback: false,
	});
});

test('allowed providers from an expression: a comma-separated string is a list; an empty list is not sent', () => {
	expect(fields({}, { allowedProviders: ' mistral, ovh ,' })).toEqual({
		allowed_providers: ['mistral', 'ovh'],
	});
	expect(fields({}, { allowedProviders: [] })).toEqual({});
});

test('a single stop sequence from an expression is a list of one; blank rows are dropped', () => {
	expect(fields({ stop: 'END' }).stop).toEqual(['END']);
	expect(fields({ stop: ['', 'END'] }).stop).toEqual(['END']);
	expect(fields({ stop: [''] })).toEqual({});
});

test('numbers an expression gives as text count as numbers, as in the Cortecs node', () => {
	expect(settings({ temperature: '0.2', maxTokens: '64', timeout: '30' })).toEqual({
		timeout: 30_000,
		maxRetries: 2,
		body: { model: MODEL, temperature: 0.2, max_tokens: 64 },
	});
});

test('Response Format JSON Schema: the Response JSON Schema sent as the Cortecs node sends it', () => {
	const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
	expect(
		fields({ responseFormat: 'json_schema', jsonSchema: JSON.stringify(schema) }).response_format,
	).toEqual({ type: 'json_schema', json_schema: { name: 'response', schema } });
	const named = { name: 'person', schema, strict: true };
	expect(
		fields({ responseFormat: 'json_schema', jsonSchema: JSON.stringify(named) }).response_format,
	).toEqual({ type: 'json_schema', json_schema: named });
	// An object from an expression counts as the JSON it stands for; the schema alone is not sent.
	expect(fields({ responseFormat: 'json_schema', jsonSchema: named })).toEqual({
		response_format: { type: 'json_schema', json_schema: named },
	});
	expect(fields({ jsonSchema: JSON.stringify(schema) })).toEqual({});
});

test.each([
	[
		{ responseFormat: 'json_schema' },
		{},
		'Options → Response JSON Schema: missing while Response Format is JSON Schema',
		'Add',
	],
	[
		{ responseFormat: 'json_schema', jsonSchema: '{"type": ' },
		{},
		'Options → Response JSON Schema: not valid JSON (Unexpected end of JSON input)',
		'Write',
	],
	[
		{ responseFormat: 'json_schema', jsonSchema: '[1]' },
		{},
		'Options → Response JSON Schema: not a JSON object',
		'Give',
	],
	[{ temperature: 'hot' }, {}, 'Options → Temperature: "hot" is not a number from 0 to 2', 'Set'],
	[{ temperature: 2.5 }, {}, 'Options → Temperature: 2.5 is not a number from 0 to 2', 'Set'],
	[{ topP: '' }, {}, 'Options → Top P: no value', 'Set'],
	[
		{ maxTokens: Number.NaN },
		{},
		'Options → Max Tokens: NaN is not a whole number of at least 1',
		'Set',
	],
	[{ timeout: 0 }, {}, 'Options → Timeout (Seconds): 0 is not a number of at least 1', 'Set'],
	[{ maxRetries: 1.5 }, {}, 'Options → Max Retries: 1.5 is not a whole number from 0 to 10', 'Set'],
	[{ maxRetries: 11 }, {}, 'Options → Max Retries: 11 is not a whole number from 0 to 10', 'Set'],
	[{ stop: [1] }, {}, 'Options → Stop Sequences: not a list of texts', 'Give'],
	[{}, { allowedProviders: { a: 1 } }, 'Routing → Allowed Providers: not a list of texts', 'Give'],
])('bad input %j %j is a NodeOperationError naming the field', (options, routing, message, fix) => {
	let error;
	try {
		settings(options, routing);
	} catch (e) {
		error = e;
	}
	expect(error).toBeInstanceOf(NodeOperationError);
	expect(error.message).toBe(message);
	expect(error.description.startsWith(`${fix} `)).toBe(true);
});
