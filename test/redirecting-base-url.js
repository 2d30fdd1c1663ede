'use strict';

/**
 * A Base URL that redirects every request (307) to another origin, which answers 401 and records the
 * headers it received: to prove that a node neither follows the redirect nor takes the key along.
 *
 *   const redirect = await redirectingBaseUrl();
 *   // … a node with Base URL redirect.baseUrl …
 *   redirect.seen; // the headers of the requests that reached the other origin
 *   redirect.target; // that origin, as the Location header names it
 *   await redirect.close();
 */
const http = require('node:http');

async function listening(server) {
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return server.address().port;
}

async function redirectingBaseUrl() {
	const seen = [];
	const elsewhere = http.createServer((req, res) => {
		seen.push(req.headers);
		res.writeHead(401, { 'content-type': 'application/json' });
		res.end('{"error":{"message":"Invalid API key"}}');
	});
	const target = `http://localhost:${await listening(elsewhere)}`;
	const redirecting = http.createServer((req, res) => {
		res.writeHead(307, { location: `${target}${req.url}` });
		res.end();
	});
	const port = await listening(redirecting);
	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		target,
		seen,
		close: () => {
			redirecting.close();
			elsewhere.close();
		},
	};
}

module.exports = { redirectingBaseUrl };
