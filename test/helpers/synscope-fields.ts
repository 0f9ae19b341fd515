// `synscope read FILE -T fields` run in-process with the options the corpus-wide differential
// tests give tshark (FIELDS_ARGS), its output as rows of cells.
import { parseReadArgs } from '../../app/cli/args.js';
import { runRead } from '../../app/cli/read.js';
import { StringSink } from '../../app/cli/sink.js';
import { FIELDS_ARGS, parseFieldsOutput } from './tshark.js';

/** `forceTree`: build the whole tree even where the fields need none (the tree and the flat mode must print the same). */
export async function synscopeFields(file: string, fields: readonly string[], forceTree = false): Promise<{ rows: string[][]; status: number; stderr: string }> {
  const args = [file, ...FIELDS_ARGS, ...fields.flatMap((f) => ['-e', f])];
  const o = parseReadArgs(args);
  if (forceTree) o.forceTree = true;
  const out = new StringSink();
  const err = new StringSink();
  const status = await runRead(o, out, err);
  return { rows: parseFieldsOutput(out.text(), fields.length), status, stderr: err.text() };
}

