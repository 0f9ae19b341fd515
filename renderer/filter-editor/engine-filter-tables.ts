// Test support: the filter texts of the engine's oracle tables (app/filter/*.diff.test.ts and
// app/filter/tcpdump/tcpdump.diff.test.ts), read from their source with the TypeScript parser so
// the grammar tests run on exactly the filters the engine is checked against tshark and tcpdump
// with, without importing (and so running) those oracle suites.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Filter texts of the named table constants of one source file (in order, duplicates kept). */
function tableFilters(relPath: string, tables: readonly string[]): string[] {
  const text = readFileSync(resolve(repo, relPath), 'utf8');
  const file = ts.createSourceFile(relPath, text, ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  const literal = (n: ts.Node): string | undefined =>
    ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) ? n.text : undefined;
  // [file, filter] and [file, filter, why] tuples: the file is a constant or a template.
  const visit = (n: ts.Node): void => {
    if (ts.isArrayLiteralExpression(n) && n.elements.length >= 2) {
      const [first, second] = n.elements;
      const filter = literal(second!);
      if (filter !== undefined && (ts.isIdentifier(first!) || ts.isTemplateExpression(first!))) out.push(filter);
    }
    ts.forEachChild(n, visit);
  };
  for (const st of file.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || !tables.includes(d.name.text) || !d.initializer) continue;
      const init = d.initializer;
      // A plain list of filter texts (the invalid-filter tables).
      if (ts.isArrayLiteralExpression(init) && init.elements.every((e) => literal(e) !== undefined)) {
        for (const e of init.elements) out.push(literal(e)!);
      } else visit(init);
    }
  }
  if (out.length === 0) throw new Error(`no filters found in ${relPath} (${tables.join(', ')})`);
  return out;
}

/** Display filters of the tshark tables (valid and invalid). */
export function engineDisplayFilters(): string[] {
  return [
    ...tableFilters('app/filter/display.diff.test.ts', ['DISPLAY_CASES', 'DISSECTOR_GAPS']),
    ...tableFilters('app/filter/df-oracle.diff.test.ts', ['VALID', 'INVALID']),
  ];
}

/** tcpdump expressions of the tcpdump table. */
export function engineTcpdumpFilters(): string[] {
  return tableFilters('app/filter/tcpdump/tcpdump.diff.test.ts', ['TCPDUMP_CASES']);
}
