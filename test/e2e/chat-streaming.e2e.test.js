'use strict';
/*
 * Streaming to a Chat Trigger, on n8n with @n8n/ai-node-sdk (`npm run test:e2e:latest`): a published
 * workflow, Chat Trigger (public, Embedded Chat, response mode Streaming) → AI Agent (Enable Streaming)
 * with the Calculator as its tool, on the Cortecs Chat Model. A chat message posted to the chat webhook over
 * HTTP comes back as n8n's stream of JSON lines; the test server spaces its SSE frames (streamGapMs), so
 * the answer's chunks reach the client apart, before the answer ends. n8n's execution record then shows the
 * sub-node's two model calls (the tool call, the answer), each with the usage and cost the server sent.
 */
const fs = require('fs');
const path = require('path');
const {
	N8N,
	HAS_SDK,
	ARTIFACTS,
	e2eWorkflow,
	useN8n,
	jsonOf,
	itemsOf,
	chatRequests,
} = require('./helpers');
const { postChatMessage, latestExecution, modelCalls, answerOf } = require('./ai-path');

const withSdk = HAS_SDK ? describe : describe.skip;
const running = useN8n('chat-streaming', { server: true });

/** The server's pause between two SSE frames: long enough to tell chunks apart on a busy machine. */
const GAP_MS = 300;

withSdk(`n8n ${N8N}: an AI Agent streams the Cortecs Chat Model's answer to a Chat Trigger`, () => {
	const wf = e2eWorkflow('chat-model-streaming.json');
	const trigger = wf.nodes.find((n) => n.type === '@n8n/n8n-nodes-langchain.chatTrigger');

	beforeAll(async () => {
		await running.n8n.publishWorkflow(wf.id, `${trigger.webhookId}/chat`);
	});

	test('the chunks reach the chat client before the answer ends; usage and cost per model call in the execution', async () => {
		running.mock.configure({ streamGapMs: GAP_MS });
		running.mock.reset();
		const chat = await postChatMessage(running.n8n, trigger.webhookId, {
			action: 'sendMessage',
			sessionId: 'e2e-streaming-session',
			chatInput: '6 * 7',
		});
		expect(chat.status).toBe(200);

		// the model was asked twice, streaming both times: the tool call, then the answer with the tool's result
		const sent = chatRequests();
		expect(sent.map((r) => [r.status, r.body.stream, r.body.stream_options])).toEqual([
			[200, true, { include_usage: true }],
			[200, true, { include_usage: true }],
		]);
		expect(sent[0].body.tools.map((t) => t.function.name)).toEqual(['Calculator']);
		const [call] = sent[1].body.messages.find((m) => m.role === 'assistant').tool_calls;
		expect(JSON.parse(call.function.arguments)).toMatchObject({ input: '6 * 7' });
		expect(sent[1].body.messages.at(-1)).toEqual({
			role: 'tool',
			// n8n's engine runs the tool as a node and hands back its output items
			content: JSON.stringify([{ response: '42' }]),
			tool_call_id: call.id,
		});
		// what the server answers each request (the same again): the answer's text and each call's record
		const answers = await Promise.all(sent.map((r) => answerOf(running.mock, r.body)));
		const answer = answers[1];
		expect(answer.content).toBe('Echo: 6 * 7\nTool results: [{"response":"42"}]');

		// n8n's stream: one begin … end per agent run (the tool call streams no text); the answer's text in
		// several item chunks
		fs.writeFileSync(
			path.join(ARTIFACTS, `n8n-${N8N}-chat-stream.json`),
			JSON.stringify(chat, null, 2),
		);
		const items = chat.lines.filter((l) => l.json.type === 'item');
		expect(items.length).toBeGreaterThanOrEqual(2);
		expect(chat.lines.map((l) => l.json.type)).toEqual([
			'begin',
			'end',
			'begin',
			...items.map(() => 'item'),
			'end',
		]);
		expect(items.map((l) => l.json.content).join('')).toBe(answer.content);
		expect(new Set(items.map((l) => l.json.metadata.nodeName))).toEqual(new Set(['AI Agent']));

		// … received apart, the first one well before the answer was over
		expect(new Set(items.map((l) => l.read)).size).toBe(items.length);
		expect(chat.endedAt - items[0].at).toBeGreaterThanOrEqual(GAP_MS);

		// the execution n8n recorded: the agent's output is the streamed text; each model call with its
		// tokens, cost, provider and model, as the server answered it
		const execution = await latestExecution(running.n8n, wf.id);
		expect(execution).toMatchObject({ status: 'success', mode: 'webhook' });
		const { resultData } = execution.data;
		fs.writeFileSync(
			path.join(ARTIFACTS, `n8n-${N8N}-chat-stream-execution.json`),
			JSON.stringify(resultData, null, 2),
		);
		expect(jsonOf(itemsOf(resultData, 'AI Agent'))).toEqual([{ output: answer.content }]);
		expect(modelCalls(resultData, 'Cortecs Chat Model')).toEqual(answers.map((a) => a.recorded));
		for (const { cost_eur: cost } of modelCalls(resultData, 'Cortecs Chat Model'))
			expect(cost).toBeGreaterThan(0);
	});
});
