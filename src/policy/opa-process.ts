/**
 * How ntp-policy runs the OPA command line, for both the built-in policy build (src/policy/build/) and custom
 * policies (src/policy/custom/): in an environment that cannot change the output, and reading its version.
 */

/**
 * The environment OPA runs in: without OPA_<COMMAND>_<FLAG> overrides and without wasm-opt post-processing
 * (EXPERIMENTAL_WASM_OPT…), both of which change what `opa build` writes.
 */
export function opaEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    if (k.startsWith("OPA_") || k.startsWith("EXPERIMENTAL_WASM_OPT")) continue;
    clean[k] = v;
  }
  return clean;
}

/** The version `opa version` prints on its `Version:` line (e.g. `1.22.3`), or null. */
export function opaVersionFrom(output: string): string | null {
  return /^Version:\s*(\S+)/m.exec(output)?.[1] ?? null;
}
