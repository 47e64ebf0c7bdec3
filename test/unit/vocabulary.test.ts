// Statuses and names are compared as types, not strings: in the services, jobs and HTTP routes, no
// literal of the vocabulary (a value of any zod enum in src/domain) is compared with an expression the
// compiler only knows as `string`, where a typo would compile. The type checker answers this, so the
// test asks it.
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';
import { z } from 'zod';

const root = resolve(import.meta.dirname, '../..');
const checked = ['src/crm', 'src/jobs', 'src/http'];

async function vocabulary(): Promise<Set<string>> {
  const values = new Set<string>();
  const dir = join(root, 'src/domain');
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts'))) {
    const module: Record<string, unknown> = await import(join(dir, file));
    for (const value of Object.values(module)) {
      if (value instanceof z.ZodEnum) for (const option of value.options) values.add(String(option));
    }
  }
  return values;
}

function untypedComparisons(words: Set<string>): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('tsconfig.json not readable');
  const dirs = checked.map((dir) => `${join(root, dir)}/`);
  const files = config.fileNames.filter((file) => dirs.some((dir) => file.startsWith(dir)));
  const program = ts.createProgram(files, config.options);
  const checker = program.getTypeChecker();
  const plainString = (node: ts.Expression) => {
    const type = checker.getTypeAtLocation(node);
    return (type.isUnion() ? type.types : [type]).some((part) => (part.flags & ts.TypeFlags.String) !== 0);
  };
  const word = (node: ts.Node) =>
    (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && words.has(node.text);
  const equality = new Set([
    ts.SyntaxKind.EqualsEqualsEqualsToken,
    ts.SyntaxKind.ExclamationEqualsEqualsToken,
    ts.SyntaxKind.EqualsEqualsToken,
    ts.SyntaxKind.ExclamationEqualsToken,
  ]);
  const found: string[] = [];
  for (const file of program.getSourceFiles()) {
    if (!files.includes(file.fileName)) continue;
    const report = (node: ts.Node) => {
      const { line } = file.getLineAndCharacterOfPosition(node.getStart());
      found.push(`${relative(root, file.fileName)}:${line + 1}: ${node.getText()}`);
    };
    const visit = (node: ts.Node): void => {
      if (ts.isBinaryExpression(node) && equality.has(node.operatorToken.kind)) {
        if ((word(node.right) && plainString(node.left)) || (word(node.left) && plainString(node.right))) report(node);
      }
      if (ts.isSwitchStatement(node) && plainString(node.expression)) {
        if (node.caseBlock.clauses.some((clause) => ts.isCaseClause(clause) && word(clause.expression))) report(node);
      }
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === 'includes' &&
        ts.isArrayLiteralExpression(node.expression.expression) &&
        node.expression.expression.elements.some(word) &&
        node.arguments[0] &&
        plainString(node.arguments[0])
      ) {
        report(node);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}

it('services, jobs and routes compare statuses and names as their domain types, never as plain strings', async () => {
  const words = await vocabulary();
  expect(words).toContain('in_progress');
  expect(untypedComparisons(words)).toEqual([]);
}, 120_000);
