// PostGraphile 5 over the Hub138 database, for the side-by-side benchmark.
// DATABASE_URL: the database (required); PGL_PORT: the port (default 5678).
import { makePgService } from "postgraphile/adaptors/pg";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { jsonPgSmartTags } from "postgraphile/utils";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";

if (!process.env.DATABASE_URL) {
  throw new Error("DATABASE_URL is not set");
}

// PostGraphile 5 only lets clients filter by indexed columns. The benchmark
// queries filter by four that Hub138 reads without an index of their own
// (validity dates, an agency's active flag, a membership's role), so they
// are opted in here, in the config, without touching the database.
const filterable = { tags: { behavior: "+filterBy" } };
const BenchSmartTagsPlugin = jsonPgSmartTags({
  version: 1,
  config: {
    class: {
      committee: { attribute: { valid_from: filterable, valid_to: filterable } },
      agency: { attribute: { active: filterable } },
      membership: { attribute: { role: filterable } },
    },
  },
});

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
  plugins: [BenchSmartTagsPlugin],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
    }),
  ],
  grafserv: {
    host: "127.0.0.1",
    port: Number(process.env.PGL_PORT ?? 5678),
    graphqlPath: "/graphql",
    graphiql: false,
    watch: false,
  },
  grafast: {
    explain: false,
  },
};

export default preset;
