#!/usr/bin/env node
'use strict';

/**
 * n8n's verification gate, run here: `@n8n/scan-community-package`'s own `analyzePackage`, with the scanner's
 * configuration (its rules, inline eslint-disable comments ignored), on
 *   1. the source (`SOURCE_FILE_PATTERNS`: package.json, nodes/ and credentials/), and
 *   2. the package as published: `npm pack`, extracted, then its compiled `.js` and `package.json`,
 * the two legs the scanner's CLI runs after downloading a package. The CLI itself cannot run here: it needs the
 * package on the public registry with a provenance attestation and its source on GitHub.
 *
 * Usage: node scripts/scan.js [packageDir]   (default: this checkout; `dist/` must be built)
 * Exits 1 when either leg reports an error.
 */

const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

/** The file patterns the scanner's CLI gives the tarball leg (scanner.mjs, analyzePackageByName). */
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

/** `npm pack` into a temporary folder and extract it the way the scanner's CLI does (tar --strip-components=1). */
function packAndExtract(packageDir, tempDir) {
	const packed = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', tempDir], {
			cwd: packageDir,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
		}),
	);
	const extracted = path.join(tempDir, 'package');
	fs.mkdirSync(extracted);
	execFileSync('tar', [
		'-xzf',
		path.join(tempDir, packed[0].filename),
		'-C',
		extracted,
		'--strip-components=1',
	]);
	return extracted;
}

async function main() {
	// eslint-plugin-n8n-nodes-base treats every file as a node, credential and trigger file when NODE_ENV is
	// 'test' (its own test mode, read when it loads): under jest, say. The scanner's CLI never runs like that.
	delete process.env.NODE_ENV;
	const packageDir = path.resolve(process.argv[2] ?? path.join(__dirname, '..'));
	const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cortecs-scan-'));
	// The scanner makes a folder of its own in the temporary directory when it loads: this one, removed below.
	process.env.TMPDIR = tempDir;
	try {
		const { analyzePackage, SOURCE_FILE_PATTERNS } =
			await import('@n8n/scan-community-package/scanner/scanner.mjs');
		const legs = [
			['source', packageDir, SOURCE_FILE_PATTERNS],
			['npm pack', packAndExtract(packageDir, tempDir), TARBALL_FILE_PATTERNS],
		];
		let failed = false;
		for (const [name, dir, patterns] of legs) {
			const result = await analyzePackage(dir, patterns);
			// The scanner passes a folder it finds nothing in; here that can only mean a wrong folder.
			if (result.passed && result.message) {
				failed = true;
				console.log(`scan ${name}: FAILED: ${result.message} in ${dir}`);
			} else if (result.passed) {
				console.log(`scan ${name}: passed (${patterns.join(', ')})`);
			} else {
				failed = true;
				console.log(`scan ${name}: FAILED: ${result.message}`);
				if (result.details) console.log(result.details);
			}
		}
		return failed ? 1 : 0;
	} finally {
		fs.rmSync(tempDir, { recursive: true, force: true });
	}
}

main().then(
	(code) => {
		process.exitCode = code;
	},
	(error) => {
		console.error(error);
		process.exitCode = 1;
	},
);
