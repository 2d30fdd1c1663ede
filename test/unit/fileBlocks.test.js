/** Files in LangChain messages (nodes/LmChatCortecs/fileBlocks.ts), in the standard shape n8n's SDK keeps. */
const { standardContent, withStandardFiles } = require('../../dist/nodes/LmChatCortecs/fileBlocks');

const DATA_URL = 'data:image/png;base64,iVBORw0KGgo=';

test.each([
	[
		'an OpenAI image_url part (AI Agent passthrough, LLM Chain image): its URL as it is',
		{ type: 'image_url', image_url: { url: DATA_URL } },
		{ type: 'image', url: DATA_URL, mimeType: 'image/png' },
	],
	[
		'an image_url with detail and a web URL',
		{ type: 'image_url', image_url: { url: 'https://x.test/a.jpg', detail: 'low' } },
		{ type: 'image', url: 'https://x.test/a.jpg', metadata: { detail: 'low' } },
	],
	[
		'an image_url given as a string',
		{ type: 'image_url', image_url: DATA_URL },
		{ type: 'image', url: DATA_URL, mimeType: 'image/png' },
	],
	[
		'the AI Agent’s PDF block: mime_type read as mimeType',
		{
			type: 'file',
			source_type: 'base64',
			mime_type: 'application/pdf',
			data: 'JVBERi0=',
			metadata: { filename: 'a.pdf' },
		},
		{
			type: 'file',
			mimeType: 'application/pdf',
			data: 'JVBERi0=',
			metadata: { filename: 'a.pdf' },
		},
	],
	[
		'a LangChain v0 image by URL',
		{ type: 'image', source_type: 'url', mime_type: 'image/jpeg', url: 'https://x.test/a.jpg' },
		{ type: 'image', mimeType: 'image/jpeg', url: 'https://x.test/a.jpg' },
	],
])('%s', (_, block, standard) => {
	expect(standardContent([{ type: 'text', text: 'see' }, block])).toEqual([
		{ type: 'text', text: 'see' },
		standard,
	]);
});

test('content already standard (or not a list) is the same value', () => {
	const content = [
		{ type: 'text', text: 'hi' },
		{ type: 'image', mimeType: 'image/png', data: 'x' },
		{ type: 'image_url', image_url: {} },
	];
	expect(standardContent(content)).toBe(content);
	expect(standardContent('hi')).toBe('hi');
});

test('withStandardFiles: a copy of the message with the same prototype; the caller’s message unchanged', () => {
	class HumanMessage {
		constructor(content) {
			this.content = content;
			this.id = 'm-1';
		}
	}
	const original = new HumanMessage([{ type: 'image_url', image_url: { url: DATA_URL } }]);
	const copy = withStandardFiles(original);
	expect(copy).not.toBe(original);
	expect(copy).toBeInstanceOf(HumanMessage);
	expect(copy.id).toBe('m-1');
	expect(copy.content).toEqual([{ type: 'image', url: DATA_URL, mimeType: 'image/png' }]);
	expect(original.content[0].type).toBe('image_url');
	const plain = new HumanMessage('text');
	expect(withStandardFiles(plain)).toBe(plain);
});
