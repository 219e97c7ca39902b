/** Minimal reader of schema.prisma (models, scalar fields, enums) for the schema-drift check. */
interface PField {
  name: string;
  column: string;
  type: string;
  optional: boolean;
  list: boolean;
  relation: boolean;
}
export interface PModel {
  name: string;
  table: string;
  fields: PField[];
}

export function parsePrismaSchema(src: string): { models: PModel[]; enums: Record<string, string[]> } {
  const models: PModel[] = [];
  const enums: Record<string, string[]> = {};
  const blocks = src.matchAll(/^(model|enum)\s+(\w+)\s*\{([\s\S]*?)^\}/gm);
  const enumNames = new Set([...src.matchAll(/^enum\s+(\w+)/gm)].map((m) => m[1]!));
  const modelNames = new Set([...src.matchAll(/^model\s+(\w+)/gm)].map((m) => m[1]!));
  for (const [, kind, name, body] of blocks) {
    const lines = body!
      .split("\n")
      .map((l) => l.replace(/\/\/.*$/, "").trim())
      .filter(Boolean);
    if (kind === "enum") {
      enums[name!] = lines.filter((l) => !l.startsWith("@@")).map((l) => l.split(/\s+/)[0]!);
      continue;
    }
    const table = /@@map\("([^"]+)"\)/.exec(body!)?.[1] ?? name!;
    const fields: PField[] = [];
    for (const l of lines) {
      if (l.startsWith("@@")) continue;
      const m = /^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(l);
      if (!m) continue;
      const [, fname, ftype, list, opt, rest] = m;
      const relation = modelNames.has(ftype!);
      fields.push({
        name: fname!,
        column: /@map\("([^"]+)"\)/.exec(rest!)?.[1] ?? fname!,
        type: enumNames.has(ftype!) ? `enum:${ftype}` : ftype!,
        optional: !!opt,
        list: !!list,
        relation,
      });
    }
    models.push({ name: name!, table, fields });
  }
  return { models, enums };
}
