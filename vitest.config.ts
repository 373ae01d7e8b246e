import { defineConfig } from "vitest/config";

const packages = ["core", "cli", "aws", "functions", "sample-service", "canaries"];

export default defineConfig({
  test: {
    projects: [
      ...packages.map((name) => ({
        extends: true as const,
        test: { name, include: [`packages/${name}/src/**/*.test.ts`] },
      })),
      { extends: true as const, test: { name: "infra", include: ["infra/**/*.test.ts"] } },
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
