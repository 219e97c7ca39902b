import { describe, expect, it } from "vitest";
import { chooseClient, parseClientCookie } from "./client-choice";

const member = {
  isStaff: false,
  memberships: [
    { clientId: 7, role: "viewer" as const },
    { clientId: 9, role: "manager" as const },
  ],
  visibleClientIds: [9, 7],
};
const staff = { isStaff: true, memberships: [], visibleClientIds: [3, 1, 2] };

describe("chooseClient", () => {
  it("takes the URL's client, then the cookie's, when the user may see it", () => {
    expect(chooseClient({ ...member, urlClientId: "9", cookieClientId: 7 })).toEqual({
      clientId: 9,
      effectiveClientId: 9,
    });
    expect(chooseClient({ ...member, urlClientId: null, cookieClientId: 9 })).toEqual({
      clientId: 9,
      effectiveClientId: 9,
    });
    expect(chooseClient({ ...staff, urlClientId: "2", cookieClientId: null })).toEqual({
      clientId: 2,
      effectiveClientId: 2,
    });
  });
  it("a member asking for another client gets their first membership", () => {
    expect(chooseClient({ ...member, urlClientId: "1", cookieClientId: null })).toEqual({
      clientId: 7,
      effectiveClientId: 7,
    });
    expect(chooseClient({ ...member, urlClientId: "abc", cookieClientId: 1 })).toEqual({
      clientId: 7,
      effectiveClientId: 7,
    });
  });
  it("staff without a choice see all clients; pages needing one use the first visible", () => {
    expect(chooseClient({ ...staff, urlClientId: null, cookieClientId: null })).toEqual({
      clientId: null,
      effectiveClientId: 3,
    });
    expect(chooseClient({ ...staff, urlClientId: "-4", cookieClientId: null })).toEqual({
      clientId: null,
      effectiveClientId: 3,
    });
  });
  it("parses the cookie", () => {
    expect(parseClientCookie("12")).toBe(12);
    expect(parseClientCookie(undefined)).toBeNull();
    expect(parseClientCookie("0")).toBeNull();
    expect(parseClientCookie("x")).toBeNull();
  });
});
