import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { env } from "./env";

export type Db = PrismaClient;
const g = globalThis as unknown as { __prisma?: PrismaClient };

/** The Prisma client for business tables (one per process). */
export function getDb(): PrismaClient {
  g.__prisma ??= new PrismaClient({ adapter: new PrismaPg({ connectionString: env().DATABASE_URL, max: 10 }) });
  return g.__prisma;
}

export async function closeDb(): Promise<void> {
  await g.__prisma?.$disconnect();
  g.__prisma = undefined;
}
