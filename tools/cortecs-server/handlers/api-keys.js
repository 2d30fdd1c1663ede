'use strict';

/** GET /v1/manage/api-keys: 200 for management keys only, which is how a key's kind is told apart. */

const { bearerOf } = require('../keys');
const { sendJson } = require('../respond');

/** @param {import('../server').RequestContext} ctx */
function handleApiKeys(ctx) {
	const keys = ctx.state.keys;
	const key = bearerOf(ctx.req);
	if (key !== null && keys.management.has(key)) {
		return sendJson(ctx, 200, { api_keys: [{ id: 'k1', name: 'default' }] });
	}
	if (key !== null && (keys.valid.has(key) || keys.emptyBalance.has(key))) {
		return sendJson(ctx, 403, { error: 'Forbidden: management key required' });
	}
	return sendJson(ctx, 401, { error: 'Invalid API key' });
}

module.exports = { handleApiKeys };
