/** The chat model's answers (nodes/LmChatCortecs/answer.ts): the API's completion and chunks as the SDK's. */
const {
	finishReasonOf,
	generateResult,
	streamChunks,
	tokenUsageOf,
} = require('../../dist/nodes/LmChatCortecs/answer');

const served = { finish_reason: 'stop', model: 'm', provider: 'p', cost_eur: 0.000002 };

test('a text answer: its message, finish reason, usage, and who served it and at what cost', () => {
	expect(
		generateResult(
			{
				id: 'c-1',
				choices: [{ message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }],
				usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4, cost: 2 },
			},
			served,
		),
	).toEqual({
		id: 'c-1',
		finishReason: 'stop',
		usage: { promptTokens: 3, completionTokens: 1, totalTokens: 4 },
		message: { role: 'assistant', content: [{ type: 'text', text: 'Hi' }] },
		providerMetadata: served,
	});
});

test('tool calls: each a tool-call block with the arguments as the API wrote them; no text block for null content', () => {
	const result = generateResult(
		{
			choices: [
				{
					message: {
						content: null,
						tool_calls: [
							{ id: 'call_1', function: { name: 'a', arguments: '{"x":1}' } },
							{ id: 'call_2', function: { name: 'b', arguments: { y: 2 } } },
						],
					},
					finish_reason: 'tool_calls',
				},
			],
		},
		served,
	);
	expect(result.finishReason).toBe('tool-calls');
	expect(result.usage).toBeUndefined();
	expect(result.message.content).toEqual([
		{ type: 'tool-call', toolCallId: 'call_1', toolName: 'a', input: '{"x":1}' },
		{ type: 'tool-call', toolCallId: 'call_2', toolName: 'b', input: '{"y":2}' },
	]);
});

test.each([
	['stop', 'stop'],
	['length', 'length'],
	['tool_calls', 'tool-calls'],
	['function_call', 'tool-calls'],
	['content_filter', 'content-filter'],
	['eos', 'other'],
	[null, 'other'],
])('finish reason %j is the SDK’s %j', (reason, expected) => {
	expect(finishReasonOf(reason)).toBe(expected);
});

test('usage: reasoning tokens kept; a missing total is the sum', () => {
	expect(
		tokenUsageOf({
			prompt_tokens: 10,
			completion_tokens: 20,
			completion_tokens_details: { reasoning_tokens: 15 },
		}),
	).toEqual({
		promptTokens: 10,
		completionTokens: 20,
		totalTokens: 30,
		outputTokenDetails: { reasoning: 15 },
	});
	expect(tokenUsageOf(undefined)).toBeUndefined();
});

test('a chunk’s text and tool-call deltas as stream chunks; empty deltas and usage-only chunks give none', () => {
	expect(streamChunks({ choices: [{ delta: { role: 'assistant', content: '' } }] })).toEqual([]);
	expect(streamChunks({ choices: [{ delta: { content: 'Hel' } }] })).toEqual([
		{ type: 'text-delta', delta: 'Hel' },
	]);
	expect(
		streamChunks({
			choices: [
				{
					delta: {
						tool_calls: [
							{ index: 0, id: 'call_1', function: { name: 'a', arguments: '' } },
							{ index: 0, function: { arguments: '{"x"' } },
						],
					},
				},
			],
		}),
	).toEqual([
		{ type: 'tool-call-delta', id: 'call_1', name: 'a', argumentsDelta: '' },
		{ type: 'tool-call-delta', argumentsDelta: '{"x"' },
	]);
	expect(streamChunks({ choices: [], usage: { prompt_tokens: 1 } })).toEqual([]);
});
