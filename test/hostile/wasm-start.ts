/**
 * Gives a real WebAssembly module a start function that never returns, leaving everything else as it was: a policy
 * compiled by the real OPA keeps its imports, exports and OPA ABI, and hangs on instantiation. OPA's modules have a
 * start function of their own: the new one calls it first, then loops (`call $start; loop br 0 end`).
 * A small section editor, enough for the module layout OPA writes (sections in the standard order).
 */

function readU32(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++]!;
    value |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [value >>> 0, at];
    shift += 7;
  }
}

function u32(value: number): number[] {
  const out: number[] = [];
  do {
    let b = value & 0x7f;
    value >>>= 7;
    if (value !== 0) b |= 0x80;
    out.push(b);
  } while (value !== 0);
  return out;
}

interface Section {
  id: number;
  body: Uint8Array;
}

function sections(module: Uint8Array): Section[] {
  const out: Section[] = [];
  let at = 8;
  while (at < module.length) {
    const id = module[at]!;
    const [size, start] = readU32(module, at + 1);
    out.push({ id, body: module.subarray(start, start + size) });
    at = start + size;
  }
  return out;
}

/** The number of imported functions (they come first in the function index space). */
function importedFunctions(body: Uint8Array): number {
  let [count, at] = readU32(body, 0);
  let functions = 0;
  const skipName = (): void => {
    const [n, next] = readU32(body, at);
    at = next + n;
  };
  const skipLimits = (): void => {
    const flags = body[at++]!;
    [, at] = readU32(body, at);
    if (flags & 1) [, at] = readU32(body, at);
  };
  while (count-- > 0) {
    skipName();
    skipName();
    const kind = body[at++]!;
    if (kind === 0) {
      functions++;
      [, at] = readU32(body, at);
    } else if (kind === 1) {
      at++;
      skipLimits();
    } else if (kind === 2) {
      skipLimits();
    } else {
      at += 2;
    }
  }
  return functions;
}

/** A vector section with one more entry appended. */
function appended(body: Uint8Array, entry: number[]): Uint8Array {
  const [count, at] = readU32(body, 0);
  return Uint8Array.from([...u32(count + 1), ...body.subarray(at), ...entry]);
}

export function withLoopingStart(module: Uint8Array): Uint8Array {
  const list = sections(module);
  const existing = list.find((s) => s.id === 8);
  const callFirst = existing ? [0x10, ...existing.body] : []; // `call <the module's own start function>`
  const types = list.find((s) => s.id === 1)!;
  const [typeCount] = readU32(types.body, 0);
  // A new type () -> (), appended: its index is the old count.
  types.body = appended(types.body, [0x60, 0x00, 0x00]);
  const imports = list.find((s) => s.id === 2);
  const funcs = list.find((s) => s.id === 3)!;
  const [definedCount] = readU32(funcs.body, 0);
  funcs.body = appended(funcs.body, u32(typeCount));
  const code = list.find((s) => s.id === 10)!;
  const body = [0x00, ...callFirst, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b]; // no locals; [call start;] loop; br 0; end; end
  code.body = appended(code.body, [...u32(body.length), ...body]);
  const index = Uint8Array.from(u32((imports ? importedFunctions(imports.body) : 0) + definedCount));
  if (existing) {
    existing.body = index;
  } else {
    // The start section goes after the export section (7) and before the element section (9).
    const at = list.findIndex((s) => s.id !== 0 && s.id > 8);
    list.splice(at === -1 ? list.length : at, 0, { id: 8, body: index });
  }
  const out = [...module.subarray(0, 8)];
  for (const s of list) out.push(s.id, ...u32(s.body.length), ...s.body);
  return Uint8Array.from(out);
}
