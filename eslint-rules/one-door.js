// @ts-check
/**
 * One door per zone (issue 11): application code reaches data only through the zone doors of
 * `@airlock/db` (withZone, transact, bulk and its named table operations, queueSql). This rule
 * refuses the side entrances everywhere except packages/db, migrations and the test fixtures
 * (eslint.config.js says where it is off):
 *   - `.admin` (the unrestricted handle that used to be on every database handle),
 *   - `switchRole` (a free role switch),
 *   - `setRole('owner')` (a switch to the owner inside a bulk session),
 *   - importing `@airlock/db/owner` (the owner's handle) or, outside tests and benchmarks,
 *     `@airlock/testing` (which hands it to fixtures).
 */

const OWNER_ENTRY = '@airlock/db/owner';
const TESTING = '@airlock/testing';

/** @type {import('eslint').Rule.RuleModule} */
export const oneDoor = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep the owner handle and role switches inside packages/db, migrations and test fixtures.' },
    schema: [],
    messages: {
      admin: 'No `.admin`: the unrestricted handle is for migrations and test fixtures only. Use withZone/transact/bulk, or add a named operation to @airlock/db.',
      switchRole: 'No `switchRole`: roles change only inside @airlock/db (withZone, transact steps, bulk sessions).',
      ownerRole: "No `setRole('owner')`: owner work is a named operation of @airlock/db (session.tables.*).",
      ownerImport: '`@airlock/db/owner` is for packages/db, migrations and test fixtures only.',
      testingImport: '`@airlock/testing` is for tests and benchmarks only: it hands out the owner handle.',
    },
  },
  create(context) {
    const file = context.filename.replaceAll('\\', '/');
    const isTestOrBench = /\.test\.ts$/.test(file) || /(^|\/)(test|bench)\//.test(file);
    /** @param {import('estree').Node} node @param {string} source */
    const checkSource = (node, source) => {
      if (source === OWNER_ENTRY) context.report({ node, messageId: 'ownerImport' });
      if (source === TESTING && !isTestOrBench) context.report({ node, messageId: 'testingImport' });
    };
    return {
      MemberExpression(node) {
        if (!node.computed && node.property.type === 'Identifier' && node.property.name === 'admin') context.report({ node, messageId: 'admin' });
        if (node.computed && node.property.type === 'Literal' && node.property.value === 'admin') context.report({ node, messageId: 'admin' });
      },
      Identifier(node) {
        if (node.name === 'switchRole') context.report({ node, messageId: 'switchRole' });
      },
      CallExpression(node) {
        const callee = node.callee;
        const name = callee.type === 'MemberExpression' && callee.property.type === 'Identifier' ? callee.property.name : callee.type === 'Identifier' ? callee.name : '';
        const first = node.arguments[0];
        if (name === 'setRole' && first && first.type === 'Literal' && first.value === 'owner') context.report({ node, messageId: 'ownerRole' });
      },
      ImportDeclaration(node) {
        checkSource(node, String(node.source.value));
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') checkSource(node, String(node.source.value));
      },
      ExportNamedDeclaration(node) {
        if (node.source) checkSource(node, String(node.source.value));
      },
      ExportAllDeclaration(node) {
        checkSource(node, String(node.source.value));
      },
    };
  },
};

export default { rules: { 'one-door': oneDoor } };
