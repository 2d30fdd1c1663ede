/** assembleStream (shared/sse.ts): an SSE body of chat.completion.chunk events, as one chat.completion. */
const path = require('node:path');

const { assembleStream, StreamCutError } = require(
	path.join(__dirname, '..', '..', 'dist', 'nodes', 'Cortecs', 'shared', 'sse.js'),
);

const sse = (...events) =>
	events.map((e) => `data: ${typeof e === 'string' ? e : JSON.stringify(e)}\n\n`).join('');
const chunk = (choices, extra = {}) => ({
	id: 'c-1',
	object: 'chat.completion.chunk',
	created: 7,
	model: 'm',
	choices,
	...extra,
});

test('content deltas of one choice become one message, with finish reason and usage', () => {
	const body = sse(
		chunk([{ index: 0, delta: { role: 'assistant', content: '' } }]),
		chunk([{ index: 0, delta: { content: 'Hel' } }]),
		chunk([{ index: 0, delta: { content: 'lo' }, finish_reason: 'stop' }]),
		chunk([], { usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }),
		'[DONE]',
	);
	expect(assembleStream(body)).toEqual({
		id: 'c-1',
		created: 7,
		model: 'm',
		object: 'chat.completion',
		choices: [
			{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' },
		],
		usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
	});
});

test('several choices, reasoning, and tool calls whose names and arguments come in pieces', () => {
	const body = sse(
		chunk([
			{ index: 1, delta: { role: 'assistant', content: '', reasoning_content: 'Think' } },
			{ index: 0, delta: { role: 'assistant', content: 'A' } },
		]),
		chunk([
			{
				index: 1,
				delta: {
					reasoning_content: 'ing',
					tool_calls: [{ index: 0, id: 'call_1', function: { name: 'look', arguments: '{"q"' } }],
				},
			},
		]),
		chunk([
			{
				index: 1,
				delta: { tool_calls: [{ index: 0, function: { name: 'up', arguments: ': 1}' } }] },
				finish_reason: 'tool_calls',
			},
		]),
		chunk([{ index: 0, delta: {}, finish_reason: 'stop', logprobs: { content: [] } }]),
		'[DONE]',
	);
	expect(assembleStream(body).choices).toEqual([
		{
			index: 0,
			message: { role: 'assistant', content: 'A' },
			finish_reason: 'stop',
			logprobs: { content: [] },
		},
		{
			index: 1,
			message: {
				role: 'assistant',
				// Only tool calls and no text: content is null, as in the non-streaming answer.
				content: null,
				reasoning_content: 'Thinking',
				tool_calls: [
					{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q": 1}' } },
				],
			},
			finish_reason: 'tool_calls',
		},
	]);
});

test('CRLF line ends, comments and blank data lines are fine; a choice without content gets ""', () => {
	const body = [
		': keep-alive',
		`data: ${JSON.stringify(chunk([{ index: 0, delta: { role: 'assistant' }, finish_reason: 'length' }]))}`,
		'data:',
		'data: [DONE]',
		'',
	].join('\r\n');
	expect(assembleStream(body).choices).toEqual([
		{ index: 0, message: { role: 'assistant', content: '' }, finish_reason: 'length' },
	]);
});

test('an error event is handed over as it is, for the error hook to report', () => {
	const error = { error: { message: 'provider failed', code: 502 } };
	expect(
		assembleStream(sse(chunk([{ index: 0, delta: { content: 'x' } }]), error, '[DONE]')),
	).toEqual(error);
});

test('a stream cut before [DONE] is a StreamCutError; an event that is not JSON is a SyntaxError', () => {
	expect(() => assembleStream(sse(chunk([{ index: 0, delta: { content: 'x' } }])))).toThrow(
		StreamCutError,
	);
	expect(() => assembleStream('')).toThrow(StreamCutError);
	expect(() => assembleStream(sse('{not json', '[DONE]'))).toThrow(SyntaxError);
});
