import type { CodegenConfig } from "@graphql-codegen/cli";

// Types for every operation come from the exported server schema, so an operation that no
// longer matches the API fails `npm run build` (codegen validates each document).
const config: CodegenConfig = {
  schema: "../graphql_api/schema.graphql",
  documents: [
    "src/**/*.{ts,tsx}",
    "!src/gql/**",
  ],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        strictScalars: true,
        // DateTime and Date arrive as ISO 8601 strings; JSON is whatever JSON.parse gives.
        scalars: {
          ID: "string",
          DateTime: "string",
          Date: "string",
          JSON: "unknown",
          Upload: "File",
        },
        useTypeImports: true,
      },
    },
  },
};

export default config;
