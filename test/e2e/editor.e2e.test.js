'use strict';
/* The n8n editor in headless Chromium: the Cortecs node's parameters, its model list and the nodes panel. */
const path = require('path');
const { CREDENTIALS } = require('../../scripts/lib/setup');
const { state, N8N, ARTIFACTS, OWNER, useN8n } = require('./helpers');

const e2e = useN8n('editor', { server: true });

describe(`n8n ${N8N} server: the editor`, () => {
	test('the editor renders the Cortecs node and its model list (headless Chromium)', async () => {
		const { chromium } = require('playwright-core');
		const browser = await chromium.launch({
			executablePath: state.chromium,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-dev-shm-usage',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run',
			],
			timeout: 60 * 1000,
		});
		const shot = (name) => path.join(ARTIFACTS, `n8n-${N8N}-${name}.png`);
		const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		page.setDefaultTimeout(60 * 1000);
		const offHost = [];
		// loopback only: anything else the editor tries to fetch is refused
		await page.route('**/*', (route) => {
			const u = new URL(route.request().url());
			if (
				['127.0.0.1', 'localhost'].includes(u.hostname) ||
				u.protocol === 'data:' ||
				u.protocol === 'blob:'
			)
				return route.continue();
			offHost.push(u.origin);
			return route.abort();
		});
		try {
			await page.goto(`${e2e.n8n.url}/signin`);
			await page.fill('input[name="emailOrLdapLoginId"]', OWNER.email);
			await page.fill('input[name="password"]', OWNER.password);
			await page.click('[data-test-id="form-submit-button"]');
			await page.waitForURL((u) => !u.pathname.startsWith('/signin'));

			await page.goto(`${e2e.n8n.url}/workflow/cortecsExample03`);
			const node = page.locator('[data-test-id="canvas-node"][data-node-name="Extract ticket"]');
			await node.waitFor();
			await page.screenshot({ path: shot('editor-canvas') });
			await node.dblclick();
			const ndv = page.locator('[data-test-id="ndv"]');
			await ndv.waitFor();

			// parameter labels, matched by their whole text
			const label = (text) =>
				ndv.locator('label.n8n-input-label').getByText(text, { exact: true }).first();
			for (const text of [
				'Resource',
				'Operation',
				'Model',
				'Messages Input',
				'Messages',
				'Options',
				'Routing',
			]) {
				const l = label(text);
				await l.scrollIntoViewIfNeeded();
				await expect(l.isVisible()).resolves.toBe(true);
			}
			// options set in the example render as their own fields
			for (const text of ['Temperature', 'Response Format', 'Response JSON Schema', 'EU Native']) {
				await label(text).scrollIntoViewIfNeeded();
				await expect(label(text).isVisible()).resolves.toBe(true);
			}
			await expect(
				ndv.locator('[data-test-id="node-credentials-select"] input').first().inputValue(),
			).resolves.toBe(CREDENTIALS.cortecs.name);
			await expect(
				ndv
					.locator('[data-test-id="resource-locator-model"] [data-test-id="rlc-input"]')
					.inputValue(),
			).resolves.toBe('mistral-small-2503');
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
		} catch (err) {
			await page.screenshot({ path: shot('editor-failure') }).catch(() => {});
			throw err;
		} finally {
			await browser.close();
		}
		// the only outside host the 2.x editor reaches for by default is n8n's own (refused above)
		expect(
			[...new Set(offHost)].filter((o) => !/\.n8n\.(io|cloud)$/.test(new URL(o).hostname)),
		).toEqual([]);
	});
});
