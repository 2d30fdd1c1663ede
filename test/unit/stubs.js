/** The little of n8n that the pure functions under test read: a node, and an item's error context. */

/** A node as n8n hands it to node code (errors name it). */
const nodeNamed = (name, type = 'n8n-nodes-cortecs.cortecs') => ({
	id: 'n',
	name,
	type,
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
});

/** What building an error reads of an execution context: the node, and the item (3). */
const errorContext = { getNode: () => nodeNamed('Cortecs'), getItemIndex: () => 3 };

module.exports = { nodeNamed, errorContext };
