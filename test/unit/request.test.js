/** The chat model's requests (nodes/LmChatCortecs/request.ts): the SDK's messages and tools as the API takes them. */
const {
	apiMessages,
	apiTools,
	apiToolChoice,
	UnsupportedContentError,
} = require('../../dist/nodes/LmChatCortecs/request');

const text = (t) => ({ type: 'text', text: t });
const PNG = 'iVBORw0KGgo=';

test('text-only messages keep a string content; several text blocks become text parts', () => {
	expect(
		apiMessages([
			{ role: 'system', content: [text('Be brief.')] },
			{ role: 'user', content: [text('Hello')] },
			{ role: 'user', content: [text('a'), text('b')] },
			{ role: 'user', content: [] },
		]),
	).toEqual([
		{ role: 'system', content: 'Be brief.' },
		{ role: 'user', content: 'Hello' },
		{
			role: 'user',
			content: [
				{ type: 'text', text: 'a' },
				{ type: 'text', text: 'b' },
			],
		},
		{ role: 'user', content: '' },
	]);
});

test('files become content parts in their place: images as image_url, PDFs as file with a data URL', () => {
	const [message] = apiMessages([
		{
			role: 'user',
			content: [
				text('Look'),
				{ type: 'file', mediaType: 'image/png', data: PNG },
				{
					type: 'file',
					data: undefined,
					providerMetadata: { url: 'https://x.test/a.jpg', detail: 'high' },
				},
				{ type: 'file', mediaType: 'image/jpeg', data: Uint8Array.from([0xff, 0xd8, 0xff]) },
				{
					type: 'file',
					mediaType: 'application/pdf',
					data: 'JVBERi0=',
					providerMetadata: { filename: 'a.pdf' },
				},
				{ type: 'file', mediaType: 'application/pdf', data: 'JVBERi0=' },
				{ type: 'file', mediaType: 'image/png', data: `data:image/png;base64,${PNG}` },
			],
		},
	]);
	expect(message.content).toEqual([
		{ type: 'text', text: 'Look' },
		{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
		{ type: 'image_url', image_url: { url: 'https://x.test/a.jpg', detail: 'high' } },
		{ type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/' } },
		{
			type: 'file',
			file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' },
		},
		{
			type: 'file',
			file: { filename: 'document.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' },
		},
		{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
	]);
});

test('a file the API does not take throws UnsupportedContentError naming its type', () => {
	expect(() =>
		apiMessages([
			{ role: 'user', content: [{ type: 'file', mediaType: 'audio/wav', data: 'UklG' }] },
		]),
	).toThrow(new UnsupportedContentError('a file of type audio/wav'));
	expect(() => apiMessages([{ role: 'user', content: [{ type: 'file' }] }])).toThrow(
		UnsupportedContentError,
	);
});

test('an assistant message: its text, and its tool calls as the API writes them; reasoning is not sent back', () => {
	expect(
		apiMessages([
			{
				role: 'assistant',
				content: [
					{ type: 'reasoning', text: 'hmm' },
					{
						type: 'tool-call',
						toolCallId: 'call_1',
						toolName: 'get_weather',
						input: '{"input":"Vienna"}',
					},
				],
			},
			{ role: 'assistant', content: [text('Sunny.')] },
		]),
	).toEqual([
		{
			role: 'assistant',
			content: '',
			tool_calls: [
				{
					id: 'call_1',
					type: 'function',
					function: { name: 'get_weather', arguments: '{"input":"Vienna"}' },
				},
			],
		},
		{ role: 'assistant', content: 'Sunny.' },
	]);
});

test('tool results: one tool message per result, the result as text', () => {
	expect(
		apiMessages([
			{
				role: 'tool',
				content: [
					{ type: 'tool-result', toolCallId: 'call_1', result: 'Sunny' },
					{ type: 'tool-result', toolCallId: 'call_2', result: [text('12:00')] },
					{ type: 'tool-result', toolCallId: 'call_3', result: { temp: 21 } },
				],
			},
		]),
	).toEqual([
		{ role: 'tool', tool_call_id: 'call_1', content: 'Sunny' },
		{ role: 'tool', tool_call_id: 'call_2', content: '12:00' },
		{ role: 'tool', tool_call_id: 'call_3', content: '{"temp":21}' },
	]);
});

test('function tools with their JSON Schema; provider tools are not sent', () => {
	const parameters = { type: 'object', properties: {} };
	expect(
		apiTools(
			[
				{ type: 'function', name: 'a', description: 'A', inputSchema: 'zod' },
				{ type: 'function', name: 'b', inputSchema: 'zod', strict: true },
				{ type: 'provider', name: 'web_search' },
			],
			() => parameters,
		),
	).toEqual([
		{ type: 'function', function: { name: 'a', description: 'A', parameters } },
		{ type: 'function', function: { name: 'b', parameters, strict: true } },
	]);
});

test.each([
	[undefined, undefined],
	['auto', 'auto'],
	['none', 'none'],
	['required', 'required'],
	['any', 'required'],
	['get_weather', { type: 'function', function: { name: 'get_weather' } }],
	[
		{ type: 'function', function: { name: 'x' } },
		{ type: 'function', function: { name: 'x' } },
	],
])('tool_choice %j is sent as %j', (choice, sent) => {
	expect(apiToolChoice(choice)).toEqual(sent);
});
