/**
 * What the Throughput tests share: parameters whose one user message comes from the item's `text`, and
 * the runs and request views they read the server through.
 */
const harness = require('../tools/harness/routing');

/** Chat parameters with the given Throughput settings (none: the defaults). */
function params(throughput, extra = {}) {
	return harness.chatParameters({
		messages: { message: [{ role: 'user', content: '={{ $json.text }}' }] },
		...(throughput === undefined ? {} : { throughput }),
		...extra,
	});
}

const itemsOf = (texts) => texts.map((text) => ({ json: { text } }));

const ok = (item) => !item.error && typeof item.json.content === 'string';

/** The time between consecutive entries (`at`, in ms). */
const gaps = (entries) => entries.slice(1).map((r, i) => r.at - entries[i].at);

/** Helpers bound to one test server (from useCortecsServer). */
function throughputHelpers(server) {
	/** The chat requests the server received for one message text, in arrival order. */
	const requestsFor = (text) =>
		server.chatRequests().filter((r) => r.body?.messages?.[0]?.content === text);

	/** Runs the node with Continue On Fail over one item per text; returns its items. */
	async function run(throughput, texts, extra = {}) {
		const result = await harness.runNode({
			baseUrl: server.url,
			parameters: params(throughput),
			items: itemsOf(texts),
			continueOnFail: true,
			...extra,
		});
		if (result.error) throw result.error;
		return result.items;
	}

	return { requestsFor, run };
}

module.exports = { params, itemsOf, ok, gaps, throughputHelpers };
