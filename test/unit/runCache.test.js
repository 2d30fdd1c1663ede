/** perRun (shared/runCache.ts): one value per node run and slot, created once. */
const path = require('node:path');

const { perRun } = require(
	path.join(__dirname, '..', '..', 'dist', 'nodes', 'Cortecs', 'shared', 'runCache.js'),
);

const runContext = (executeData) => ({ getExecuteData: () => executeData });

test('one value per run and slot, created on first use', () => {
	const run = runContext({});
	const a = Symbol('a');
	const b = Symbol('b');
	let created = 0;
	const create = () => ({ n: ++created });
	const first = perRun(run, a, create);
	expect(perRun(run, a, create)).toBe(first);
	expect(perRun(run, b, create)).not.toBe(first);
	expect(perRun(runContext({}), a, create)).not.toBe(first);
	expect(created).toBe(3);
});

test('a value created as undefined or a promise is kept too', () => {
	const run = runContext({});
	const slot = Symbol('slot');
	let calls = 0;
	perRun(run, slot, () => void calls++);
	perRun(run, slot, () => void calls++);
	expect(calls).toBe(1);
	const promise = perRun(run, Symbol('p'), async () => 1);
	expect(promise).toBeInstanceOf(Promise);
});

test('without execute data every call gets a new value', () => {
	const run = runContext(undefined);
	const slot = Symbol('slot');
	expect(perRun(run, slot, () => ({}))).not.toBe(perRun(run, slot, () => ({})));
});
