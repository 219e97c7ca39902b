/** The rules are domain decisions (domain/anomalies/rules.ts); re-exported here for the server's callers. */
export * from "@/domain/anomalies/rules";
