// Lint configuration: typescript-eslint's recommended rules over src/ and test/, and the layer order of src/.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The pipeline's layers, lowest first (docs/architecture.md): a module may import from its own layer and the
// layers before it, never from a later one. model ← discover ← parse ← analyze ← policy ← report ← check ← fix ← cli.
const LAYERS = ["model", "discover", "parse", "analyze", "policy", "report", "check", "fix", "cli"];

const layerRules = LAYERS.map((layer, i) => {
  const later = LAYERS.slice(i + 1);
  return {
    files: [`src/${layer}/**/*.ts`],
    rules: {
      "no-restricted-imports":
        later.length === 0
          ? "off"
          : [
              "error",
              {
                patterns: later.map((l) => ({
                  group: [`**/${l}/*`, `**/${l}/**`],
                  message: `src/${layer} is below src/${l} in the layer order (${LAYERS.join(" ← ")}); move the shared part down to the lower layer.`,
                })),
              },
            ],
    },
  };
});

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "src/parse/generated/", "coverage/", "test-artifacts/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  ...layerRules,
  {
    files: ["scripts/**/*.mjs", "bin/**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);
