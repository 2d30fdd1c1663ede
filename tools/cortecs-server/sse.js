'use strict';

/** A chat.completion as server-sent events: the chunk frames a streaming client receives. */

/**
 * Splits text into consecutive pieces whose concatenation is exactly `text`, about 3 words each,
 * but always at least 2 pieces when there are 2+ words (so streaming clients see real deltas).
 * @param {string} text
 * @returns {string[]}
 */
function splitWords(text) {
	const tokens = text.match(/\s*\S+\s*/g);
	if (!tokens) return text ? [text] : [];
	const size = Math.max(1, Math.min(3, Math.ceil(tokens.length / 2)));
	const pieces = [];
	for (let i = 0; i < tokens.length; i += size) pieces.push(tokens.slice(i, i + size).join(''));
	return pieces;
}

/**
 * Splits a string into at least 2 pieces (when it has 2+ characters) of at most 16 characters.
 * @param {string} s
 * @returns {string[]}
 */
function splitChars(s) {
	const size = Math.max(1, Math.min(16, Math.ceil(s.length / 2)));
	const pieces = [];
	for (let i = 0; i < s.length; i += size) pieces.push(s.slice(i, i + size));
	return pieces;
}

/**
 * Turns a completion into SSE frames ('data: ...\n\n' strings).
 * @param {ReturnType<typeof import('./completion').buildCompletion>} completion
 * @param {boolean} includeUsage
 * @returns {{frames: string[], firstFinish: number}} firstFinish = index of the first finish_reason frame
 */
function sseFrames(completion, includeUsage) {
	const { id, created, model } = completion;
	/** @type {string[]} */
	const frames = [];
	/** @param {object} payload */
	const push = (payload) =>
		frames.push(
			'data: ' +
				JSON.stringify({ id, object: 'chat.completion.chunk', created, model, ...payload }) +
				'\n\n',
		);
	/**
	 * @param {number} index
	 * @param {object} delta
	 * @param {string|null} [finish]
	 */
	const chunk = (index, delta, finish = null) =>
		push({ choices: [{ index, delta, finish_reason: finish }] });

	let firstFinish = -1;
	for (const c of completion.choices) {
		const msg = c.message;
		chunk(c.index, { role: 'assistant', content: '' });
		if (msg.reasoning_content) {
			for (const piece of splitWords(msg.reasoning_content))
				chunk(c.index, { reasoning_content: piece });
		}
		if (msg.content)
			for (const piece of splitWords(msg.content)) chunk(c.index, { content: piece });
		if (msg.tool_calls) {
			msg.tool_calls.forEach((/** @type {any} */ tc, /** @type {number} */ j) => {
				const name = tc.function.name;
				chunk(c.index, {
					tool_calls: [
						{ index: j, id: tc.id, type: 'function', function: { name, arguments: '' } },
					],
				});
				for (const piece of splitChars(tc.function.arguments)) {
					chunk(c.index, { tool_calls: [{ index: j, function: { arguments: piece } }] });
				}
			});
		}
		if (firstFinish === -1) firstFinish = frames.length;
		chunk(c.index, {}, c.finish_reason);
	}
	if (includeUsage) push({ choices: [], usage: completion.usage });
	frames.push('data: [DONE]\n\n');
	return { frames, firstFinish };
}

module.exports = { sseFrames };
