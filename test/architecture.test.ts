/**
 * The module structure of src/ (docs/architecture.md "Layers"): no import cycle among modules (type-only
 * imports aside: they vanish at compile time), and every import goes to the same layer or a lower one.
 * eslint's no-restricted-imports reports the layer order while editing; this also proves there is no cycle.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const LAYERS = ["model", "discover", "parse", "analyze", "policy", "report", "check", "fix", "cli"];

/** Module → the modules it imports at run time (relative imports, `.js` → `.ts`). */
function importGraph(): Map<string, string[]> {
  const files = readdirSync(path.join(ROOT, "src"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => `src/${f.split(path.sep).join("/")}`);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(path.join(ROOT, file), "utf8");
    const deps: string[] = [];
    for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+"(\.[^"]+)"/gms)) {
      if (m[1]) continue;
      deps.push(path.posix.normalize(path.posix.join(path.posix.dirname(file), m[2]!.replace(/\.js$/, ".ts"))));
    }
    graph.set(file, deps);
  }
  return graph;
}

/** The cycles (strongly connected components of more than one module, or a module importing itself). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

const layerOf = (file: string): number => LAYERS.indexOf(file.split("/")[1]!);

describe("src/ module structure", () => {
  const graph = importGraph();

  it("reads the modules", () => {
    expect(graph.size).toBeGreaterThan(50);
  });

  it("has no import cycle", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("finds a cycle where there is one (the check itself)", () => {
    expect(cycles(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]))).toEqual([["a", "b", "c"]]);
  });

  it("imports only from the same or a lower layer", () => {
    const upward: string[] = [];
    for (const [file, deps] of graph) {
      for (const dep of deps) if (layerOf(dep) > layerOf(file)) upward.push(`${file} → ${dep}`);
    }
    expect(upward).toEqual([]);
  });
});
