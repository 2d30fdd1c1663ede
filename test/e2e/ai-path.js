'use strict';
/*
 * What the e2e files of the AI path share: the chat webhook as a streaming client sees it, n8n's execution
 * records, the Cortecs Chat Model's calls as its run data shows them, and what the test server answers a
 * request (it is deterministic, so a request sent again gets the same answer, usage and cost).
 */
const path = require('path');
const { request } = require('../../tools/n8n/runner');
const { VALID_KEY } = require('../../tools/cortecs-server');
const { state } = require('./helpers');

/**
 * POSTs a message to a Chat Trigger's chat webhook and reads the answer as it arrives: n8n streams one JSON
 * object per line. Each line carries `at` (ms since the request was sent, when the read that completed it
 * arrived) and `read` (that read's number); `endedAt` is when the answer ended.
 * @param {import('../../tools/n8n/runner').N8n} n8n
 * @param {string} webhookId the Chat Trigger's webhookId
 * @param {object} body
 */
async function postChatMessage(n8n, webhookId, body) {
	const started = performance.now();
	const res = await fetch(`${n8n.url}/webhook/${webhookId}/chat`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(3 * 60 * 1000),
	});
	const lines = [];
	const decoder = new TextDecoder();
	let pending = '';
	let read = 0;
	for await (const bytes of res.body) {
		read++;
		const at = performance.now() - started;
		pending += decoder.decode(bytes, { stream: true });
		const complete = pending.split('\n');
		pending = complete.pop();
		for (const line of complete) if (line.trim()) lines.push({ json: JSON.parse(line), at, read });
	}
	if (pending.trim()) throw new Error(`the chat answer ended inside a line: ${pending}`);
	return { status: res.status, lines, endedAt: performance.now() - started };
}

/** n8n's newest execution of a workflow, once it has finished, with its run data decoded. */
async function latestExecution(n8n, workflowId, { timeoutMs = 60 * 1000 } = {}) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const list = await n8n.restOk('GET', `/rest/executions?filter=${filter}&limit=1`);
		const [latest] = list.results || [];
		if (latest && !['new', 'running', 'waiting'].includes(latest.status)) {
			const full = await n8n.restOk('GET', `/rest/executions/${latest.id}`);
			const flatted = require(
				require.resolve('flatted', { paths: [path.dirname(state.install.n8nBin)] }),
			);
			return { ...full, data: flatted.parse(full.data) };
		}
		if (Date.now() > deadline)
			throw new Error(`no finished execution of ${workflowId} within ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 500));
	}
}

/**
 * The calls of the Cortecs Chat Model, one per run of the sub-node, as its output panel shows them: the
 * tokens, and who served the answer and what it cost (the generation's info).
 */
function modelCalls(resultData, name) {
	return (resultData.runData[name] || []).map((run) => {
		const { response, tokenUsage } = run.data.ai_languageModel[0][0].json;
		const [[generation]] = response.generations;
		return { tokenUsage, ...generation.generationInfo };
	});
}

/**
 * What the test server answers `body` (sent again, not streamed): the text, and the record of the call the
 * sub-node's panel must show: its tokens, finish reason, the model and provider that served it, and its
 * cost in EUR (the answer's usage.cost, in micro-EUR).
 * @param {import('../../tools/cortecs-server').CortecsServer} mock
 * @param {object} body
 */
async function answerOf(mock, body) {
	const { stream: _stream, stream_options: _options, ...plain } = body;
	const res = await request('POST', `${mock.url}/chat/completions`, {
		headers: { authorization: `Bearer ${VALID_KEY}` },
		body: plain,
	});
	if (res.status !== 200) throw new Error(`the test server answered ${res.status}: ${res.text}`);
	const { usage, model, choices } = res.json;
	return {
		content: choices[0].message.content,
		recorded: {
			tokenUsage: {
				promptTokens: usage.prompt_tokens,
				completionTokens: usage.completion_tokens,
				totalTokens: usage.total_tokens,
			},
			finish_reason: choices[0].finish_reason,
			model,
			provider: res.headers['x-cortecs-provider'],
			cost_eur: usage.cost / 1e6,
		},
	};
}

module.exports = { postChatMessage, latestExecution, modelCalls, answerOf };
