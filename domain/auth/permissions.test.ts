import { describe, expect, it } from "vitest";
import { can, principalCan, roleOnClient, ROLE_SCOPES, SCOPES, visibleClientIds, type Principal } from "./permissions";

const member = (clientId: number, role: "manager" | "viewer"): Principal => ({
  kind: "user",
  id: 1,
  label: "u",
  staffRole: null,
  memberships: [{ clientId, role }],
});

describe("permission matrix", () => {
  it("admin has every scope; viewer only reads", () => {
    expect(ROLE_SCOPES.admin).toEqual(SCOPES);
    expect(ROLE_SCOPES.viewer.every((s) => s.endsWith(":read"))).toBe(true);
  });

  it("operators run the platform but do not manage users, keys or contracts", () => {
    expect(can("operator", "compliance:operate")).toBe(true);
    expect(can("operator", "users:write")).toBe(false);
    expect(can("operator", "apikeys:write")).toBe(false);
  });

  it("only staff operate the DGA pipeline (transport, go-live of a point, cycles)", () => {
    expect(can("admin", "compliance:operate")).toBe(true);
    expect(can("operator", "compliance:operate")).toBe(true);
    expect(can("manager", "compliance:operate")).toBe(false);
    expect(can("viewer", "compliance:operate")).toBe(false);
  });

  it("a member has a role only on its own clients", () => {
    const m = member(7, "manager");
    expect(roleOnClient(m, 7)).toBe("manager");
    expect(roleOnClient(m, 8)).toBeNull();
    expect(principalCan(m, "alerts:ack", 7)).toBe(true);
    expect(principalCan(m, "alerts:ack", 8)).toBe(false);
    expect(visibleClientIds(m)).toEqual([7]);
  });

  it("API keys are limited to their client and their explicit scopes", () => {
    const k: Principal = {
      kind: "apiKey",
      id: 1,
      label: "k",
      staffRole: null,
      memberships: [],
      apiKeyScopes: ["points:read"],
      apiKeyClientId: 3,
    };
    expect(principalCan(k, "points:read", 3)).toBe(true);
    expect(principalCan(k, "points:read", 4)).toBe(false);
    expect(principalCan(k, "points:write", 3)).toBe(false);
    expect(visibleClientIds(k)).toEqual([3]);
  });
});
