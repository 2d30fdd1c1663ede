'use strict';
/* The n8n editor in headless Chromium: the Cortecs node's parameters, its model list and the nodes panel. */
const { CREDENTIALS } = require('../../tools/n8n/setup');
const { N8N, useN8n, inEditor, openNode, expectLabelsVisible } = require('./helpers');

const e2e = useN8n('editor', { server: true });

describe(`n8n ${N8N} server: the editor`, () => {
	test('the editor renders the Cortecs node and its model list (headless Chromium)', async () => {
		const offHost = await inEditor(e2e.n8n, 'editor-failure', async ({ page, shot }) => {
			await page.goto(`${e2e.n8n.url}/workflow/cortecsExample03`);
			const node = page.locator('[data-test-id="canvas-node"][data-node-name="Extract ticket"]');
			await node.waitFor();
			await page.screenshot({ path: shot('editor-canvas') });
			const { ndv, label, modelInput } = await openNode(page, node);
			await expectLabelsVisible(label, [
				'Resource',
				'Operation',
				'Model',
				'Messages Input',
				'Messages',
				'Options',
				'Routing',
			]);
			// options set in the example render as their own fields
			await expectLabelsVisible(label, [
				'Temperature',
				'Response Format',
				'Response JSON Schema',
				'EU Native',
			]);
			await expect(
				ndv.locator('[data-test-id="node-credentials-select"] input').first().inputValue(),
			).resolves.toBe(CREDENTIALS.cortecs.name);
			await expect(modelInput.inputValue()).resolves.toBe('mistral-small-2503');
			await label('Model').scrollIntoViewIfNeeded();
			await page.screenshot({ path: shot('editor-cortecs-node') });
			await label('Routing').scrollIntoViewIfNeeded();
			await page.screenshot({ path: shot('editor-cortecs-options') });
			await label('Model').scrollIntoViewIfNeeded();

			// switch the model to "From list" and open the list: loaded by the editor through n8n from the server
			const rl = ndv.locator('[data-test-id="resource-locator-model"]');
			await rl.locator('[data-test-id="rlc-mode-selector"]').click();
			await page.locator('[data-test-id="mode-list"]').click();
			await rl.locator('[data-test-id="rlc-input"]').click();
			const items = page.locator('[data-test-id="rlc-item"]');
			await items.first().waitFor();
			const names = (await items.allInnerTexts()).map((t) => t.trim());
			// the dropdown shows only names, so each carries its price and context size
			expect(names).toEqual(expect.arrayContaining(['mistral-small-2503 — €0.1/€0.3 · 131k']));
			expect(names.some((n) => n.startsWith('mistral-large-2411 — '))).toBe(true);
			await page.screenshot({ path: shot('editor-model-list') });

			// a user adds the node by searching the nodes panel, in a workflow that has no AI nodes yet
			// (n8n hides AI-category nodes there unless their codex marks them as root nodes)
			await page.goto(`${e2e.n8n.url}/workflow/cortecsExample02`);
			await page.locator('[data-test-id="canvas-node"]').first().waitFor();
			const creator = page.locator('[data-test-id="node-creator"]');
			await page.keyboard.press('Tab');
			// newer editors no longer open the panel on Tab from a fresh canvas: use its "+" button instead
			if (
				!(await creator.waitFor({ timeout: 5000 }).then(
					() => true,
					() => false,
				))
			) {
				await page.locator('[data-test-id="node-creator-plus-button"]').first().click();
				await creator.waitFor();
			}
			await page.keyboard.type('Cortecs');
			await creator.getByText('Cortecs', { exact: true }).first().waitFor({ timeout: 15000 });
			await page.screenshot({ path: shot('editor-node-search') });
		});
		// the only outside host the 2.x editor reaches for by default is n8n's own (inEditor refuses it)
		expect(
			[...new Set(offHost)].filter((o) => !/\.n8n\.(io|cloud)$/.test(new URL(o).hostname)),
		).toEqual([]);
	});
});
