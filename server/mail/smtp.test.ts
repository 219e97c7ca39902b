import { describe, expect, it } from "vitest";
import { DEFAULT_SMTP_SECURITY, transportOptions } from "./smtp";

describe("SMTP transport options", () => {
  it("auto: STARTTLS required on 587 (Microsoft 365), implicit TLS for smtps://, opportunistic elsewhere", () => {
    const m365 = transportOptions("smtp://u%40x.cl:p@smtp.office365.com:587", DEFAULT_SMTP_SECURITY, 1000);
    expect(m365).toMatchObject({ port: 587, secure: false, requireTLS: true, ignoreTLS: false });
    expect(m365.auth).toEqual({ user: "u@x.cl", pass: "p" });
    expect(transportOptions("smtps://mail.x.cl", DEFAULT_SMTP_SECURITY, 1000)).toMatchObject({
      port: 465,
      secure: true,
    });
    expect(transportOptions("smtp://relay:25", DEFAULT_SMTP_SECURITY, 1000)).toMatchObject({
      requireTLS: false,
      ignoreTLS: false,
    });
    expect(transportOptions("smtp://relay:2525", { mode: "starttls", rejectUnauthorized: false }, 1000)).toMatchObject({
      requireTLS: true,
      tls: { rejectUnauthorized: false },
    });
  });
});
