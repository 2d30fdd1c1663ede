'use strict';

/** GET /v1/models: the catalogue filtered by tag, in EUR or USD. */

const { listModels } = require('../catalogue');
const { sendJson } = require('../respond');

/** @param {import('../server').RequestContext} ctx */
function handleModels(ctx) {
	sendJson(ctx, 200, { object: 'list', data: listModels(ctx.qs) });
}

module.exports = { handleModels };
