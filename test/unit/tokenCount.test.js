/** estimateTokens (nodes/LmChatCortecs/tokenCount.ts): 4 characters a token, text parts only. */
const { estimateTokens } = require('../../dist/nodes/LmChatCortecs/tokenCount');

test.each([
	['hello world, how are you', 6],
	['', 0],
	['abc', 1],
	[[{ type: 'text', text: 'abcdefgh' }, { type: 'image_url' }], 2],
	[['abcd', { type: 'text', text: 'efgh' }], 2],
	[undefined, 0],
])('%j counts as %i tokens', (content, tokens) => {
	expect(estimateTokens(content)).toBe(tokens);
});
