import { describe, expect, it } from "vitest";
import { buildOpenApi } from "@/server/api/openapi";

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
};

describe("OpenAPI document", () => {
  const doc = buildOpenApi("http://127.0.0.1:3000") as unknown as Doc;

  it("is 3.1 and documents the history endpoint's CSV alternative", () => {
    expect(doc.openapi).toMatch(/^3\.1/);
    const ok = doc.paths["/api/v1/analytics/points/{id}/history"]?.get?.responses["200"];
    expect(Object.keys(ok?.content ?? {})).toEqual(["application/json", "text/csv"]);
  });

  it("offers text/csv only where the operation renders CSV", () => {
    const realtime = doc.paths["/api/v1/analytics/points/{id}/realtime"]?.get?.responses["200"];
    expect(Object.keys(realtime?.content ?? {})).toEqual(["application/json"]);
  });
});
