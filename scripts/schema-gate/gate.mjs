// The schema-change gate: the changes from one schema to another, by
// graphql-inspector's diff, with Hub138's deprecation policy applied.
//
//   node gate.mjs OLD.graphql NEW.graphql    exit 1 on a breaking change
//
// A breaking change (a removed or renamed type, field, argument, input
// field or enum value; a type made stricter; …) fails, unless it removes
// something the old schema already marked `@deprecated(reason: "…")` with an
// explicit reason — deprecate, announce, then remove in a later release.
// A type may go once every field that returned or took it was deprecated.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
} from 'graphql';
import { ChangeType, CriticalityLevel, diff } from '@graphql-inspector/core';

/** Whether the definition carries `@deprecated` with a `reason` argument. */
function deprecatedWithReason(def) {
  const d = def?.astNode?.directives?.find((x) => x.name.value === 'deprecated');
  return Boolean(d?.arguments?.some((a) => a.name.value === 'reason' && a.value.value?.trim()));
}

/** The old definition a removal change names, if any. */
function removedDefinition(schema, change) {
  const [typeName, member, arg] = (change.path ?? '').split('.');
  const type = schema.getType(typeName);
  switch (change.type) {
    case ChangeType.FieldRemoved:
      return isObjectType(type) || isInterfaceType(type) ? type.getFields()[member] : undefined;
    case ChangeType.InputFieldRemoved:
      return isInputObjectType(type) ? type.getFields()[member] : undefined;
    case ChangeType.EnumValueRemoved:
      return isEnumType(type) ? type.getValue(member) : undefined;
    case ChangeType.FieldArgumentRemoved: {
      const field = isObjectType(type) || isInterfaceType(type) ? type.getFields()[member] : undefined;
      return field?.args.find((a) => a.name === arg);
    }
    default:
      return undefined;
  }
}

/** Whether every use of the named type in `schema` is a deprecated field or argument. */
function onlyUsedByDeprecated(schema, typeName) {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (!(isObjectType(type) || isInterfaceType(type) || isInputObjectType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      if (getNamedType(field.type).name === typeName && !deprecatedWithReason(field)) return false;
      for (const arg of field.args ?? []) {
        if (getNamedType(arg.type).name === typeName && !deprecatedWithReason(arg) && !deprecatedWithReason(field)) {
          return false;
        }
      }
    }
  }
  return true;
}

/** The changes from `oldSdl` to `newSdl`: `{ breaking, allowed, other }`, each a list of messages. */
export async function check(oldSdl, newSdl) {
  const oldSchema = buildSchema(oldSdl);
  const newSchema = buildSchema(newSdl);
  const changes = await diff(oldSchema, newSchema);
  const result = { breaking: [], allowed: [], other: [] };
  for (const change of changes) {
    const line = `${change.path ?? ''}: ${change.message}`;
    if (change.criticality.level !== CriticalityLevel.Breaking) {
      result.other.push(line);
      continue;
    }
    const def = removedDefinition(oldSchema, change);
    const allowed =
      (def && deprecatedWithReason(def)) ||
      (change.type === ChangeType.TypeRemoved && onlyUsedByDeprecated(oldSchema, change.path));
    (allowed ? result.allowed : result.breaking).push(line);
  }
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [oldPath, newPath] = process.argv.slice(2);
  if (!oldPath || !newPath) {
    console.error('usage: node gate.mjs OLD.graphql NEW.graphql');
    process.exit(2);
  }
  const r = await check(readFileSync(oldPath, 'utf8'), readFileSync(newPath, 'utf8'));
  for (const l of r.other) console.log(`  change: ${l}`);
  for (const l of r.allowed) console.log(`  removed after deprecation: ${l}`);
  for (const l of r.breaking) console.log(`  BREAKING: ${l}`);
  if (r.breaking.length) {
    console.error(
      `schema gate: ${r.breaking.length} breaking change(s). Deprecate first ` +
        '(@deprecated(reason: "…")), let it land, and remove it in a later change.',
    );
    process.exit(1);
  }
  console.log(`schema gate: no breaking change (${r.other.length + r.allowed.length} change(s))`);
}
