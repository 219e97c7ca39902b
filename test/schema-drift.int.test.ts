import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { getPgPool } from "@/server/pg";
import { closeAll } from "@/test/db";
import { parsePrismaSchema } from "./prisma-schema";

const PG_TYPES: Record<string, string[]> = {
  Int: ["integer"],
  BigInt: ["bigint"],
  String: ["text"],
  Boolean: ["boolean"],
  Float: ["double precision"],
  DateTime: ["timestamp with time zone", "timestamp without time zone"],
  Json: ["jsonb"],
  Bytes: ["bytea"],
};

afterAll(closeAll);

/** Fails when prisma/schema.prisma and the SQL migrations (applied to this run's fresh DB) disagree. */
describe("schema.prisma matches the migrations", () => {
  const schema = parsePrismaSchema(readFileSync("prisma/schema.prisma", "utf8"));

  it("every model, column, type, nullability and enum exists as declared", async () => {
    const pool = getPgPool();
    const { rows } = await pool.query<{
      table_name: string;
      column_name: string;
      data_type: string;
      udt_name: string;
      is_nullable: string;
    }>(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const cols = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, r]));
    const problems: string[] = [];
    for (const m of schema.models) {
      const declared = m.fields.filter((f) => !f.relation);
      for (const f of declared) {
        const c = cols.get(`${m.table}.${f.column}`);
        if (!c) {
          problems.push(`${m.table}.${f.column} missing`);
          continue;
        }
        if (f.list) {
          if (c.data_type !== "ARRAY") problems.push(`${m.table}.${f.column} should be an array`);
        } else if (f.type.startsWith("enum:")) {
          if (c.udt_name !== f.type.slice(5))
            problems.push(`${m.table}.${f.column} should be enum ${f.type.slice(5)}, is ${c.udt_name}`);
        } else if (!PG_TYPES[f.type]?.includes(c.data_type))
          problems.push(`${m.table}.${f.column} type ${c.data_type} ≠ ${f.type}`);
        if ((c.is_nullable === "YES") !== f.optional && !f.list)
          problems.push(`${m.table}.${f.column} nullability differs`);
      }
      const dbCols = rows.filter((r) => r.table_name === m.table).map((r) => r.column_name);
      for (const extra of dbCols.filter((c) => !declared.some((f) => f.column === c)))
        problems.push(`${m.table}.${extra} is in the DB but not in schema.prisma`);
    }
    const { rows: enumRows } = await pool.query<{ typname: string; labels: string[] }>(
      `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    const dbEnums = Object.fromEntries(enumRows.map((r) => [r.typname, r.labels]));
    for (const [name, values] of Object.entries(schema.enums))
      if (JSON.stringify(dbEnums[name]) !== JSON.stringify(values))
        problems.push(`enum ${name}: ${dbEnums[name]} ≠ ${values}`);
    expect(problems).toEqual([]);
  });

  it("the time-series tables outside Prisma exist and are partitioned", async () => {
    const { rows } = await getPgPool().query<{ relname: string }>(
      `SELECT c.relname FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid`,
    );
    expect(rows.map((r) => r.relname).sort()).toEqual(expect.arrayContaining(["measurement", "raw_payload"]));
  });
});
