/**
 * State kept for one node run. n8n gives every item of a run the same execute-data object and a new
 * one for the next run, so it keys a WeakMap without leaking across runs, executions or workflows.
 */
const runs = new WeakMap<object, Map<symbol, unknown>>();

interface RunContext {
	getExecuteData(): object | undefined;
}

/**
 * The value stored under `slot` for this node run, created on first use. n8n always passes execute
 * data to declarative nodes; without it every call gets a new value.
 */
export function perRun<T>(ctx: RunContext, slot: symbol, create: () => T): T {
	const runKey = ctx.getExecuteData();
	if (!runKey) return create();
	let slots = runs.get(runKey);
	if (!slots) runs.set(runKey, (slots = new Map()));
	if (!slots.has(slot)) slots.set(slot, create());
	return slots.get(slot) as T;
}
