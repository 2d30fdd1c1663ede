'use strict';
/*
 * Files on the AI path, on n8n with @n8n/ai-node-sdk (`npm run test:e2e:latest`): a PNG and a PDF read from
 * disk (Read/Write Files from Disk, so n8n holds them as binary data the way it holds any download), handed
 * to the Cortecs Chat Model by n8n's own nodes:
 * - the AI Agent with "Automatically Passthrough Binary Images" and "… PDFs": the image as an `image_url`
 *   part, the PDF as a `file` part;
 * - the Basic LLM Chain with a message of type "Image (Binary)" (detail low): the image as an `image_url`
 *   part.
 * Each part reaches the test server with the file's exact bytes.
 */
const fs = require('fs');
const path = require('path');
const {
	N8N,
	HAS_SDK,
	state,
	e2eWorkflow,
	useN8n,
	executeOk,
	itemsOf,
	jsonOf,
	chatRequests,
} = require('./helpers');

const withSdk = HAS_SDK ? describe : describe.skip;
useN8n('chat-model-files');

const FILES = path.join(__dirname, 'files');
const PHOTO = 'receipt-photo.png';
const INVOICE = 'invoice.pdf';
const bytesOf = (name) => fs.readFileSync(path.join(FILES, name));
/** The file on disk as a data URL: a part equal to it carries the file's exact bytes. */
const dataUrl = (mime, name) => `data:${mime};base64,${bytesOf(name).toString('base64')}`;

/**
 * The folder n8n's file nodes may read (N8N_RESTRICT_FILE_ACCESS_TO), inside the user folder n8n runs in:
 * the workflow reads `.n8n-files/ai-path/…` relative to it.
 */
const filesFolder = path.join(fs.realpathSync(state.n8nHome), '.n8n-files');
const fileAccess = { N8N_RESTRICT_FILE_ACCESS_TO: filesFolder };

withSdk(`n8n ${N8N}: files from n8n's AI nodes reach Cortecs intact`, () => {
	beforeAll(() => {
		fs.cpSync(FILES, path.join(filesFolder, 'ai-path'), { recursive: true });
	});

	test('AI Agent (binary passthrough): the image as an image_url part, the PDF as a file part, exact bytes; Basic LLM Chain (Image (Binary)): the image as an image_url part with its detail', async () => {
		const wf = e2eWorkflow('chat-model-files.json');
		const { resultData } = await executeOk(wf.id, { env: fileAccess });
		const agent = wf.nodes.find((n) => n.name === 'Describe each file').parameters;
		const chain = wf.nodes.find((n) => n.name === 'Describe photo').parameters;

		const sent = chatRequests();
		expect(sent.map((r) => r.status)).toEqual([200, 200, 200]);
		const bodies = sent.map((r) => r.body);

		// the agent: the prompt, then one user message holding the item's file
		const agentBodies = bodies.filter((b) => b.messages.some((m) => m.content === agent.text));
		expect(agentBodies).toHaveLength(2);
		const fileMessages = agentBodies.map((b) => {
			expect(b.messages.slice(-2)[0]).toEqual({ role: 'user', content: agent.text });
			return b.messages.at(-1);
		});
		expect(fileMessages).toEqual(
			expect.arrayContaining([
				{
					role: 'user',
					content: [{ type: 'image_url', image_url: { url: dataUrl('image/png', PHOTO) } }],
				},
				{
					role: 'user',
					content: [
						{
							type: 'file',
							file: { filename: INVOICE, file_data: dataUrl('application/pdf', INVOICE) },
						},
					],
				},
			]),
		);

		// the chain: one user message, the image (with the detail it was set to), then the prompt
		const [chainBody] = bodies.filter((b) => !agentBodies.includes(b));
		expect(chainBody.messages).toEqual([
			{
				role: 'user',
				content: [
					{
						type: 'image_url',
						image_url: {
							url: dataUrl('image/png', PHOTO),
							detail: chain.messages.messageValues[0].imageDetail,
						},
					},
					{ type: 'text', text: chain.text },
				],
			},
		]);

		// the nodes' outputs: the test server's echo of each request's last user text (none after a file)
		expect(jsonOf(itemsOf(resultData, 'Describe each file'))).toEqual([
			{ output: 'Echo: ' },
			{ output: 'Echo: ' },
		]);
		expect(jsonOf(itemsOf(resultData, 'Describe photo'))).toEqual([
			{ text: `Echo: ${chain.text}` },
		]);
	});
});
