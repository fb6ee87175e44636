// Reads a running server's schema by standard introspection and prints it
// as SDL: getIntrospectionQuery → buildClientSchema → printSchema, with the
// `graphql` package of portal/node_modules (run from portal/).
// Usage: node introspect.mjs http://127.0.0.1:8080/graphql out.graphql
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(join(process.cwd(), 'package.json'));
const { getIntrospectionQuery, buildClientSchema, printSchema } = require('graphql');

const [url, outFile] = process.argv.slice(2);
if (!url || !outFile) {
  console.error('usage: node introspect.mjs SCHEMA_URL OUT_FILE');
  process.exit(2);
}
const headers = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
if (process.env.HUB138_TOKEN) headers.authorization = `Bearer ${process.env.HUB138_TOKEN}`;
const res = await fetch(url, {
  method: 'POST',
  headers,
  body: JSON.stringify({ query: getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }), operationName: 'IntrospectionQuery' }),
});
const body = await res.json().catch(() => null);
if (!body?.data) {
  const e = body?.errors?.[0];
  console.error(`introspection of ${url} failed: HTTP ${res.status}${e ? ` ${e.extensions?.code ?? ''} ${e.message}` : ''}`);
  process.exit(1);
}
writeFileSync(outFile, `${printSchema(buildClientSchema(body.data))}\n`);
console.error(`schema of ${url} written to ${outFile}`);
