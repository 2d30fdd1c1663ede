/** Pacer (shared/pacer.ts): how far apart the starts of one run's requests are, on its own. */
const path = require('node:path');

const { Pacer, PACING } = require(
	path.join(__dirname, '..', '..', 'dist', 'nodes', 'Cortecs', 'shared', 'pacer.js'),
);

describe('Pacer: the starts of a run are spread out', () => {
	/** Takes `count` turns at once; returns the waits asked for (the pause itself returns at once). */
	async function turns(pacer, window, count) {
		const waits = [];
		await Promise.all(
			Array.from({ length: count }, () => pacer.turn(window, async (ms) => void waits.push(ms))),
		);
		return waits;
	}

	test('before any answer: one start per maxGapMs; no pacing for a window of 1 or no cap', async () => {
		// A clock that stands still: the waits are exact, however slow this machine is.
		const clock = jest.spyOn(performance, 'now').mockReturnValue(1_000);
		const waits = await turns(new Pacer(), 8, 4);
		clock.mockRestore();
		// The first starts at once; each next one waits a whole gap after the one before it.
		expect(waits).toEqual([PACING.maxGapMs, PACING.maxGapMs, PACING.maxGapMs]);
		expect(await turns(new Pacer(), 1, 4)).toEqual([]);
		expect(await turns(new Pacer(), 0, 4)).toEqual([]);
		expect(new Pacer(0).gap(8)).toBe(0);
	});

	test('with answers in: the gap is the shortest recent answer time shared by the window, capped at maxGapMs', () => {
		const pacer = new Pacer(5);
		expect(pacer.gap(8)).toBe(5);
		pacer.observe(16);
		expect(pacer.gap(8)).toBe(2); // 16 ms / 8
		expect(pacer.gap(4)).toBe(4);
		// A slow answer (a busy event loop, a long generation) raises it by a tenth only...
		pacer.observe(16_000);
		expect(pacer.gap(8)).toBeCloseTo(2.2, 10);
		// ...so it takes a run of slow answers to reach the cap, and one fast answer brings it back.
		for (let i = 0; i < 20; i++) pacer.observe(16_000);
		expect(pacer.gap(8)).toBe(5);
		pacer.observe(8);
		expect(pacer.gap(8)).toBe(1);
	});

	test('a wait that ends late (a busy event loop) does not let the next start early', async () => {
		const pacer = new Pacer(5);
		const starts = [];
		const late = async (ms) => {
			const until = performance.now() + ms + 20;
			while (performance.now() < until); // the loop is blocked well past the due time
		};
		await Promise.all(
			Array.from({ length: 4 }, () =>
				pacer.turn(8, late).then(() => starts.push(performance.now())),
			),
		);
		for (let i = 1; i < starts.length; i++)
			expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(4.5);
	});

	test('stopping the execution ends the wait for a turn', async () => {
		// A gap of a minute: the second turn always has to wait, however slow this machine is.
		const pacer = new Pacer(60_000);
		const stopped = new Error('stopped');
		await pacer.turn(8, async () => {});
		await expect(pacer.turn(8, async () => Promise.reject(stopped))).rejects.toBe(stopped);
		// The next turn is not stuck behind the failed one.
		await expect(pacer.turn(8, async () => {})).resolves.toBeUndefined();
	});
});
