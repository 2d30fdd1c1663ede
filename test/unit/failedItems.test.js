/** The end of a failed item (shared/failedItems.ts): an error item with Continue On Fail, else thrown. */
const path = require('node:path');
const { NodeOperationError, NodeApiError } = require('n8n-workflow');

const { failItem, notSentAfterFailure } = require(
	path.join(__dirname, '..', '..', 'dist', 'nodes', 'Cortecs', 'shared', 'failedItems.js'),
);

const node = { name: 'Cortecs', type: 'n8n-nodes-cortecs.cortecs', typeVersion: 1, parameters: {} };
const KEY = 'sk-test-0123456789';

/** The little of an n8n execution context these read: the item, Continue On Fail, the credential. */
const itemContext = (itemIndex, continueOnFail) => ({
	getNode: () => node,
	getItemIndex: () => itemIndex,
	continueOnFail: () => continueOnFail,
	getCredentials: async () => ({ apiKey: KEY }),
});

test('with Continue On Fail: one error item, paired to its input, without the API key', async () => {
	const error = new NodeApiError(
		node,
		{ message: 'x' },
		{ message: `echoed ${KEY}`, description: 'try again', httpCode: '502' },
	);
	const state = {};
	const items = await failItem(itemContext(4, true), error, state);
	expect(items).toEqual([
		{
			json: { error: 'echoed [redacted]', description: 'try again', httpCode: '502' },
			error,
			pairedItem: { item: 4 },
		},
	]);
	expect(state.firstFailure).toBeUndefined();
	const bad = new NodeOperationError(node, 'Model: no model is selected');
	expect((await failItem(itemContext(0, true), bad, state))[0].json).toEqual({
		error: 'Model: no model is selected',
		description: null,
		httpCode: null,
	});
});

test('without: thrown, and the lowest failed index is kept', async () => {
	const state = {};
	await expect(
		failItem(itemContext(7, false), new NodeOperationError(node, 'late'), state),
	).rejects.toThrow('late');
	await expect(
		failItem(itemContext(2, false), new NodeOperationError(node, 'early'), state),
	).rejects.toThrow('early');
	await expect(
		failItem(itemContext(5, false), new NodeOperationError(node, 'between'), state),
	).rejects.toThrow('between');
	expect(state.firstFailure).toBe(2);
});

test('notSentAfterFailure: only items after the failed one, only without Continue On Fail', () => {
	expect(notSentAfterFailure(itemContext(9, false), {})).toBeUndefined();
	const state = { firstFailure: 2 };
	expect(notSentAfterFailure(itemContext(1, false), state)).toBeUndefined();
	expect(notSentAfterFailure(itemContext(2, false), state)).toBeUndefined();
	expect(notSentAfterFailure(itemContext(3, true), state)).toBeUndefined();
	const notSent = notSentAfterFailure(itemContext(3, false), state);
	expect(notSent).toBeInstanceOf(NodeOperationError);
	expect(notSent.message).toBe('Cortecs request not sent: an earlier item failed');
	expect(notSent.description).toBe(
		'Item 2 failed, which fails the node (Continue On Fail is off), so this item was not sent.',
	);
});
