import type { Db } from "@/server/db";

/** Ends every portal session and user REST token of a user (they carry the version they were issued under). */
export async function revokeSessions(prisma: Db, userId: number): Promise<void> {
  if (!Number.isSafeInteger(userId)) return;
  await prisma.user.updateMany({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}
