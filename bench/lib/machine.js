'use strict';

/** What every benchmark report says of its run: the machine, how busy it was, and the median of runs. */
const fs = require('node:fs');
const os = require('node:os');

/** The middle value (the upper one of an even count). */
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The load averages over 1, 5 and 15 minutes: how busy the machine was with other work. */
const loadAverage = () =>
	os
		.loadavg()
		.map((l) => l.toFixed(2))
		.join(' ');

/** `<CPU model> × <cores>, <memory> GiB`. */
function cpuAndMemory() {
	const cpu =
		(fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m) || [])[1] ||
		os.cpus()[0]?.model;
	return `${cpu} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`;
}

/** The number after `name` on the command line, else `fallback`. */
const numberOption = (args, name, fallback) =>
	args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;

module.exports = { median, loadAverage, cpuAndMemory, numberOption };
