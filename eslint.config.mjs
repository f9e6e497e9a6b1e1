// ESLint for the whole repository (src, bench, scripts, bin): typescript-eslint's recommended rules, configured
// once; `npm run lint` and CI run it. Formatting is Prettier's job (`npm run format:check`).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
  { ignores: ["dist/**", "reports/**", "node_modules/**", "bench/results/**", "docker/base/rootfs/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      // The compiled CommonJS build loads some parts lazily (the container driver, Docker clients) on purpose.
      "@typescript-eslint/no-require-imports": "off",
      // Terminal and XML escaping match control characters on purpose.
      "no-control-regex": "off",
      // Prettier's width; strings and regular expressions stay whole.
      "max-len": [
        "error",
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
    },
  },
  {
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
  },
);
