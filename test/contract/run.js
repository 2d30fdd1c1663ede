#!/usr/bin/env node
'use strict';

/**
 * npm run test:contract: checks the assumptions the package makes about the Cortecs API.
 *
 *   CORTECS_API_KEY=<key> npm run test:contract     the real API (CORTECS_BASE_URL to point elsewhere)
 *   npm run test:contract                           the bundled test server on 127.0.0.1 (what CI runs)
 *
 * Options (environment): CORTECS_CONTRACT_MAX_EUR (spending cap, default 0.01), CORTECS_CONTRACT_REPORT
 * (report file, default contract-report.json), CORTECS_CONTRACT_ONLY (comma-separated check ids),
 * CORTECS_CONTRACT_TIMEOUT_MS (per request, default 60000).
 * Exit code: 0 every check passed or was skipped, 1 a check failed, 2 the run could not start.
 */
const fs = require('node:fs');
const path = require('node:path');

const { DEFAULT_CAP_EUR } = require('./client');

const DEFAULT_BASE_URL = 'https://api.cortecs.ai/v1';
const MARK = { pass: 'ok', fail: 'FAIL', skip: 'skip' };

/** @param {string} text @param {number} width */
function cell(text, width) {
	const flat = text.replace(/\s+/g, ' ');
	return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat.padEnd(width);
}

/** The leaves of an expectation as [path, value] pairs ("usage.cost", "<an integer>"). */
function leaves(value, path = '') {
	if (value && typeof value === 'object' && !Array.isArray(value)) {
		return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
	}
	return [[path, value]];
}

function at(value, path) {
	return path.split('.').reduce((v, k) => (v && typeof v === 'object' ? v[k] : undefined), value);
}

/** A value in a table cell: short, one line. */
function brief(value) {
	if (typeof value === 'string') return value.length > 24 ? `${value.slice(0, 23)}…` : value;
	return JSON.stringify(value) ?? 'nothing';
}

/** One line of the table: each expected fact and the same fact as seen, cut to the column. */
function row(check) {
	let expected = '-';
	let seen = check.note ?? '';
	if (check.result !== 'skip') {
		const pairs = leaves(check.expected);
		expected = pairs
			.map(
				([p, v]) => `${p}=${brief(typeof v === 'string' ? v.replace(/^<(an?|one of) /, '<') : v)}`,
			)
			.join(' ');
		seen = pairs.map(([p]) => `${p}=${brief(at(check.seen, p))}`).join(' ');
		if (check.note) seen = check.note;
	}
	return `${cell(check.id, 28)} ${cell(expected, 46)} ${cell(seen, 46)} ${MARK[check.result]}`;
}

function printDifferences(checks, out) {
	const failed = checks.filter((c) => c.result === 'fail');
	if (!failed.length) return;
	out('\nDifferences (expected → seen):');
	for (const check of failed) {
		out(`  ${check.id}  (${check.relies})`);
		for (const d of check.differences ?? [])
			out(
				`    ${d.path}: expected ${JSON.stringify(d.expected)}, seen ${JSON.stringify(d.seen) ?? 'nothing'}`,
			);
	}
}

function shortPath(file) {
	const relative = path.relative(process.cwd(), file);
	return relative.startsWith('..') ? file : relative;
}

function settingsFromEnv(env) {
	const cap =
		env.CORTECS_CONTRACT_MAX_EUR === undefined
			? DEFAULT_CAP_EUR
			: Number(env.CORTECS_CONTRACT_MAX_EUR);
	if (!(cap >= 0))
		throw new Error(
			`CORTECS_CONTRACT_MAX_EUR must be a number of EUR >= 0, not "${env.CORTECS_CONTRACT_MAX_EUR}".`,
		);
	const timeoutMs =
		env.CORTECS_CONTRACT_TIMEOUT_MS === undefined
			? 60_000
			: Number(env.CORTECS_CONTRACT_TIMEOUT_MS);
	if (!(timeoutMs > 0))
		throw new Error(`CORTECS_CONTRACT_TIMEOUT_MS must be a number of milliseconds > 0.`);
	return {
		capEur: cap,
		timeoutMs,
		only: env.CORTECS_CONTRACT_ONLY
			? env.CORTECS_CONTRACT_ONLY.split(',')
					.map((s) => s.trim())
					.filter(Boolean)
			: undefined,
		reportFile: path.resolve(env.CORTECS_CONTRACT_REPORT || 'contract-report.json'),
	};
}

async function main(env = process.env, out = console.log) {
	let settings;
	try {
		settings = settingsFromEnv(env);
	} catch (error) {
		out(`Contract run not started: ${error.message}`);
		return 2;
	}
	let runContract;
	try {
		({ runContract } = require('./contract'));
	} catch (error) {
		out(`Contract run not started: ${error.message}`);
		return 2;
	}
	const apiKey = env.CORTECS_API_KEY?.trim();
	let server;
	let target;
	let baseUrl;
	if (apiKey) {
		target = 'api';
		baseUrl = env.CORTECS_BASE_URL?.trim() || DEFAULT_BASE_URL;
	} else {
		const { startCortecsServer, VALID_KEY } = require('../../tools/cortecs-server');
		server = await startCortecsServer();
		target = 'server';
		baseUrl = server.url;
		out(`No CORTECS_API_KEY: checking the bundled test server at ${baseUrl}.`);
		if (env.CORTECS_BASE_URL) out('(CORTECS_BASE_URL is ignored without CORTECS_API_KEY.)');
		env = { ...env, CORTECS_API_KEY: VALID_KEY };
	}
	const key = apiKey || env.CORTECS_API_KEY;
	if (target === 'api') {
		out(`Checking ${baseUrl} with CORTECS_API_KEY; spending cap ${settings.capEur} EUR.`);
	}
	let header = `${'check'.padEnd(28)} ${'expected'.padEnd(46)} ${'seen'.padEnd(46)} pass`;
	let report;
	try {
		report = await runContract({
			target,
			baseUrl,
			apiKey: key,
			server,
			capEur: settings.capEur,
			timeoutMs: settings.timeoutMs,
			only: settings.only,
			onResult: (check) => {
				if (header) out(header);
				header = '';
				out(row(check));
			},
		});
	} finally {
		await server?.close();
	}
	printDifferences(report.checks, out);
	fs.writeFileSync(settings.reportFile, `${JSON.stringify(report, null, '\t')}\n`);
	const spent = `${report.spentMicroEur} µEUR (${report.spentEur.toFixed(6)} EUR) of a ${report.capMicroEur} µEUR cap`;
	out(
		`\n${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped · ` +
			`${report.requests.billable} billable + ${report.requests.free} free requests · spent ${spent} · ` +
			`${(report.durationMs / 1000).toFixed(1)} s · report: ${shortPath(settings.reportFile)}`,
	);
	if (report.error) {
		out(`\nContract run failed: ${report.error}`);
		return report.checks.length ? 1 : 2;
	}
	return report.failed ? 1 : 0;
}

if (require.main === module) {
	main().then(
		(code) => {
			process.exitCode = code;
		},
		(error) => {
			// A bug in the runner itself, not a finding about the API.
			console.error(error);
			process.exitCode = 2;
		},
	);
}

module.exports = { main };
