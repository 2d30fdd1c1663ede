/**
 * Splits a whole number `total` into whole shares in proportion to `weights` (largest remainder: each
 * share is rounded down, and the units left over go to the largest remainders, earlier first on ties),
 * so the shares always add up to exactly `total`. All weights 0: split as if they were equal. Whole
 * weights are split in exact integer arithmetic, so equal remainders really tie.
 */
export function splitByWeight(total: number, weights: number[]): number[] {
	if (weights.length === 0) return [];
	const whole = Math.max(0, Math.round(total));
	const clean = weights.map((w) => (Number.isFinite(w) && w > 0 ? w : 0));
	const used = clean.some((w) => w > 0) ? clean : clean.map(() => 1);
	const sum = used.reduce((a, b) => a + b, 0);
	const shares = used.map((w) => Math.floor((whole * w) / sum));
	const remainders = used.map((w, i) => whole * w - shares[i] * sum);
	let left = whole - shares.reduce((a, b) => a + b, 0);
	const order = remainders.map((_, i) => i).sort((a, b) => remainders[b] - remainders[a] || a - b);
	for (let k = 0; left > 0; k = (k + 1) % order.length, left--) shares[order[k]]++;
	return shares;
}
