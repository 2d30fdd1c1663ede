/** Pauses (shared/pauses.ts): waits that end at once when the execution is stopped. */
const path = require('node:path');

const { Pauses } = require(
	path.join(__dirname, '..', '..', 'dist', 'nodes', 'Cortecs', 'shared', 'pauses.js'),
);

test('a pause resolves after its time, with or without a signal', async () => {
	await expect(new Pauses().pause(1)).resolves.toBeUndefined();
	await expect(new Pauses(new AbortController().signal).pause(1)).resolves.toBeUndefined();
});

test('stopping ends every pause at once with the reason; later pauses fail too', async () => {
	const controller = new AbortController();
	const pauses = new Pauses(controller.signal);
	const waits = [pauses.pause(500), pauses.pause(500)];
	const reason = new Error('stopped');
	controller.abort(reason);
	await expect(Promise.all(waits)).rejects.toBe(reason);
	await expect(pauses.pause(0)).rejects.toBe(reason);
});

test('a signal stopped already: no pause waits', async () => {
	const controller = new AbortController();
	controller.abort();
	await expect(new Pauses(controller.signal).pause(500)).rejects.toBeDefined();
});
