'use strict';

/** The API keys the server knows, and how a request's key is read. */

const VALID_KEY = 'test-key-valid';
const MANAGEMENT_KEY = 'test-key-management';
const EMPTY_BALANCE_KEY = 'test-key-empty-balance';

/**
 * @typedef {object} Keyring
 * @property {Set<string>} valid chat works, /manage/api-keys answers 403
 * @property {Set<string>} management chat works, /manage/api-keys answers 200
 * @property {Set<string>} emptyBalance chat answers 401 (balance), /manage/api-keys 403
 */

/**
 * @param {import('./index').CortecsServerKeys} [keys]
 * @returns {Keyring}
 */
function keyring(keys = {}) {
	return {
		valid: new Set(keys.valid || [VALID_KEY]),
		management: new Set(keys.management || [MANAGEMENT_KEY]),
		emptyBalance: new Set(keys.emptyBalance || [EMPTY_BALANCE_KEY]),
	};
}

/**
 * The bearer token of a request, or null.
 * @param {import('node:http').IncomingMessage} req
 */
function bearerOf(req) {
	const h = req.headers.authorization;
	if (!h) return null;
	const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
	return m ? m[1] : null;
}

module.exports = { VALID_KEY, MANAGEMENT_KEY, EMPTY_BALANCE_KEY, keyring, bearerOf };
