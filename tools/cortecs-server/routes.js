'use strict';

/**
 * The endpoints: path → method and handler. A new endpoint is one handler file in handlers/ and one
 * line here. Unknown paths answer 404 and known paths with another method 405, as FastAPI does.
 */

const { handleApiKeys } = require('./handlers/api-keys');
const { handleChat } = require('./handlers/chat');
const { handleEmbeddings } = require('./handlers/embeddings');
const { handleModels } = require('./handlers/models');

/** @type {Record<string, {method: string, handler: (ctx: import('./server').RequestContext) => void}>} */
const ROUTES = {
	'/v1/chat/completions': { method: 'POST', handler: handleChat },
	'/v1/embeddings': { method: 'POST', handler: handleEmbeddings },
	'/v1/models': { method: 'GET', handler: handleModels },
	'/v1/manage/api-keys': { method: 'GET', handler: handleApiKeys },
};

module.exports = { ROUTES };
