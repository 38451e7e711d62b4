/**
 * What a check runs with: the configuration (a file, or `.ntp-policy.yaml` in the working directory when
 * present, then overrides) and the custom policies (policy directories compiled with OPA, prebuilt bundles).
 */
import { existsSync } from "node:fs";
import { defaultConfig, PROFILES, type Config } from "../model/config.js";
import { loadCatalog } from "../policy/catalog.js";
import { loadCustomPolicies, type CustomPolicy } from "../policy/custom.js";
import { isProfile } from "../policy/profile.js";
import { ConfigError, hostBitsWarnings, isNetwork, loadConfigFile } from "./config.js";

/** Read when no configuration file is named and it exists in the working directory. */
export const DEFAULT_CONFIG_FILE = ".ntp-policy.yaml";

/** Settings that replace the configuration file's (named after the command line's options). */
export interface ConfigOverrides {
  /** The configuration file (default: DEFAULT_CONFIG_FILE when present, else the built-in defaults). */
  config?: string;
  /** Trusted networks (CIDRs) replacing the configuration's list. */
  trusted?: readonly string[];
  /** Fewest usable upstream time sources, a whole number from 0 to 100. */
  minUpstreams?: string | number;
  profile?: string;
}

/**
 * The configuration a check runs with. `knownRules`: the ids of the catalogue (built-in and custom rules),
 * for the `rules:` and waiver entries. `warn` hears about trusted networks written with host bits.
 * Throws ConfigError, with a located message, on a bad file or override.
 */
export function resolveConfig(overrides: ConfigOverrides, knownRules: ReadonlySet<string>, warn: (message: string) => void = () => {}): Config {
  let config = defaultConfig();
  if (overrides.config) config = loadConfigFile(overrides.config, knownRules);
  else if (existsSync(DEFAULT_CONFIG_FILE)) config = loadConfigFile(DEFAULT_CONFIG_FILE, knownRules);
  let warnings = hostBitsWarnings(config.trusted_networks, `${config.source ?? "configuration"}: trusted_networks:`);
  if (overrides.trusted && overrides.trusted.length > 0) {
    for (const cidr of overrides.trusted) {
      if (!isNetwork(cidr)) throw new ConfigError(`--trusted ${cidr}: not an IPv4 or IPv6 network (e.g. 10.0.0.0/8)`);
    }
    config.trusted_networks = [...overrides.trusted];
    warnings = hostBitsWarnings(overrides.trusted, "--trusted");
  }
  for (const w of warnings) warn(w);
  if (overrides.minUpstreams !== undefined) {
    const text = String(overrides.minUpstreams);
    const n = Number(text);
    if (!/^\d+$/.test(text) || n > 100) throw new ConfigError(`--min-upstreams ${text}: expected a whole number from 0 to 100`);
    config.min_upstreams = n;
  }
  if (overrides.profile !== undefined) {
    if (!isProfile(overrides.profile)) throw new ConfigError(`--profile ${overrides.profile}: expected one of ${PROFILES.join(", ")}`);
    config.profile = overrides.profile;
  }
  return config;
}

/** The custom policies in these Rego directories (compiled with OPA) and bundles (none: []). */
export async function customPolicies(sources: { policyDirs?: readonly string[]; bundles?: readonly string[] }): Promise<CustomPolicy[]> {
  const policyDirs = [...(sources.policyDirs ?? [])];
  const bundles = [...(sources.bundles ?? [])];
  if (policyDirs.length === 0 && bundles.length === 0) return [];
  const builtinIds = new Set(loadCatalog().map((r) => r.id));
  return loadCustomPolicies({ policyDirs, bundles, builtinIds });
}
