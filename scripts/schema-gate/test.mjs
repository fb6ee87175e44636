// Tests of the schema-change gate itself: a deliberately breaking change
// must fail it, the policy's allowed removals must pass.
//   node test.mjs
import assert from 'node:assert/strict';
import { check } from './gate.mjs';

const base = `
type Query { committee(code: String): Committee, plans(first: Int): [Plan!]! }
type Committee { name: String!, code: String!, old: String @deprecated(reason: "Use code"), bare: String @deprecated }
type Plan { title: String, status: Status }
enum Status { DRAFT ISSUED CLOSED LEGACY @deprecated(reason: "Never issued") }
input PlanFilter { status: Status, legacy: Boolean @deprecated(reason: "Always false") }
type Mutation { f(input: PlanFilter): Boolean }
`;
const cases = [
  ['no change', base, true],
  ['a field added', base.replace('code: String!,', 'code: String!, unitName: String,'), true],
  ['a field removed', base.replace('code: String!,', ''), false],
  ['a field renamed', base.replace('name: String!', 'title: String!'), false],
  ['an argument removed', base.replace('committee(code: String)', 'committee'), false],
  ['an argument made required', base.replace('committee(code: String)', 'committee(code: String!)'), false],
  ['a field made nullable', base.replace('name: String!', 'name: String'), false],
  ['an enum value removed', base.replace('ISSUED ', ''), false],
  ['an input field made required', base.replace('status: Status,', 'status: Status!,'), false],
  ['a type removed with its fields', base.replace('type Plan { title: String, status: Status }', '').replace(', plans(first: Int): [Plan!]!', ''), false],
  ['a deprecated field removed', base.replace(', old: String @deprecated(reason: "Use code")', ''), true],
  ['a field deprecated without a reason removed', base.replace(', bare: String @deprecated', ''), false],
  ['a deprecated enum value removed', base.replace(' LEGACY @deprecated(reason: "Never issued")', ''), true],
  ['a deprecated input field removed', base.replace(', legacy: Boolean @deprecated(reason: "Always false")', ''), true],
];
let failed = 0;
for (const [name, sdl, passes] of cases) {
  const r = await check(base, sdl);
  try {
    assert.equal(r.breaking.length === 0, passes, `${name}: ${JSON.stringify(r)}`);
    console.log(`ok   ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${e.message}`);
  }
}
if (failed) process.exit(1);
console.log(`schema gate: ${cases.length} cases pass`);

// The gate as CI runs it, on a repository whose last commit breaks the
// schema: check.sh must fail; a later commit that only adds must pass.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const real = readFileSync(join(here, '../../schema.graphql'), 'utf8');
const repo = mkdtempSync(join(tmpdir(), 'hub138-gate-'));
const git = (...args) =>
  execFileSync('git', ['-c', 'user.name=gate', '-c', 'user.email=gate@hub138', ...args], { cwd: repo, stdio: 'pipe' });
const gate = () => spawnSync(join(here, 'check.sh'), [], { cwd: repo, encoding: 'utf8' });
try {
  git('init', '-q');
  writeFileSync(join(repo, 'schema.graphql'), real);
  git('add', 'schema.graphql');
  git('commit', '-q', '-m', 'schema');
  // The field with its description block.
  const broken = real.replace(/\t"""\n\tThe unit's name without its type word[^\n]*\n\t"""\n\tunitShortName: String!\n/, '');
  assert.notEqual(broken, real, 'the fixture edit must change the schema');
  writeFileSync(join(repo, 'schema.graphql'), broken);
  git('commit', '-q', '-am', 'remove Committee.unitShortName');
  const r = gate();
  assert.equal(r.status, 1, `a removed field must fail the gate:\n${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /BREAKING: Committee\.unitShortName/);
  console.log('ok   check.sh fails on a commit that removes a field');
  writeFileSync(join(repo, 'schema.graphql'), broken.replace(/^\tunitName: String!\n/m, '\tunitName: String!\n\tunitNameEn: String\n'));
  git('commit', '-q', '-am', 'add a field');
  const ok = gate();
  assert.equal(ok.status, 0, `an added field must pass:\n${ok.stdout}${ok.stderr}`);
  console.log('ok   check.sh passes a commit that only adds');
} finally {
  rmSync(repo, { recursive: true, force: true });
}
