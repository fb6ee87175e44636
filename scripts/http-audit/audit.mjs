// The GraphQL-over-HTTP audit of the graphql-http package against a running
// server. Usage: node audit.mjs [url]  (default http://127.0.0.1:8080/graphql)
// Exits 1 if any audit, MUST or SHOULD, is not ok.
import { serverAudits } from 'graphql-http';

const url = process.argv[2] ?? 'http://127.0.0.1:8080/graphql';
let failedMust = 0;
const counts = { ok: 0, warn: 0, error: 0 };
for (const audit of serverAudits({ url, fetchFn: fetch })) {
  const result = await audit.fn();
  counts[result.status] += 1;
  if (result.status !== 'ok') {
    const must = audit.name.startsWith('MUST');
    if (must) failedMust += 1;
    console.log(`${result.status.toUpperCase()} ${audit.name}: ${result.reason}`);
  }
}
console.log(`\n${counts.ok} ok, ${counts.warn} warnings, ${counts.error} errors; ${failedMust} MUST failures`);
process.exit(counts.ok === counts.ok + counts.warn + counts.error ? 0 : 1);
