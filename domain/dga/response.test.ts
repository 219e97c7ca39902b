import { describe, expect, it } from "vitest";
import { classifyResponse } from "./response";

const json = (v: unknown) => JSON.stringify(v);

describe("classifyResponse", () => {
  it("sent: status 00 with a receipt", () => {
    const body = json({
      status: "00",
      message: "Medición subterránea ingresada correctamente",
      data: { numeroComprobante: "m1KB1FK3bp0OFxTxwVXDcKaWogTiKOqr" },
    });
    expect(classifyResponse({ httpStatus: 200, bodyText: body })).toEqual({
      kind: "sent",
      receipt: "m1KB1FK3bp0OFxTxwVXDcKaWogTiKOqr",
      message: "Medición subterránea ingresada correctamente",
    });
  });

  it("sent_no_receipt: 00 without numeroComprobante", () => {
    expect(classifyResponse({ httpStatus: 200, bodyText: json({ status: "00", message: "ok", data: {} }) }).kind).toBe(
      "sent_no_receipt",
    );
    expect(
      classifyResponse({ httpStatus: 200, bodyText: json({ status: "00", message: "ok", data: null }) }).kind,
    ).toBe("sent_no_receipt");
  });

  it("only 00 is success", () => {
    expect(
      classifyResponse({
        httpStatus: 200,
        bodyText: json({ status: "0", message: "x", data: { numeroComprobante: "abc" } }),
      }).kind,
    ).toBe("rejected");
    expect(classifyResponse({ httpStatus: 200, bodyText: json({ status: 0 }) }).kind).toBe("rejected");
  });

  it("duplicate with and without a receipt", () => {
    const msg = "Ya existe un registro en esa fecha, hora para la obra. Comprobante: zk7DOAl3uIlGTjvwNtwBF0sBLAR16cI5";
    expect(classifyResponse({ httpStatus: 400, bodyText: json({ status: "99", message: msg }) })).toEqual({
      kind: "duplicate",
      receipt: "zk7DOAl3uIlGTjvwNtwBF0sBLAR16cI5",
      message: msg,
    });
    expect(
      classifyResponse({
        httpStatus: 400,
        bodyText: json({ message: "Ya existe un registro en esa fecha, hora para la obra." }),
      }),
    ).toMatchObject({ kind: "duplicate", receipt: null });
  });

  it("wrong informante is its own outcome", () => {
    expect(
      classifyResponse({
        httpStatus: 400,
        bodyText: json({ status: "99", message: "Usuario no es el informante registrado en la Obra" }),
      }).kind,
    ).toBe("wrong_informante");
  });

  it("other answers are rejections", () => {
    expect(classifyResponse({ httpStatus: 400, bodyText: json({ status: "99", message: "caudal inválido" }) })).toEqual(
      { kind: "rejected", message: "caudal inválido", httpStatus: 400 },
    );
    expect(classifyResponse({ httpStatus: 401, bodyText: "Unauthorized" })).toEqual({
      kind: "rejected",
      message: "Unauthorized",
      httpStatus: 401,
    });
  });

  it("no answer, 5xx and unreadable 200s are unknown", () => {
    expect(classifyResponse({ httpStatus: null, bodyText: null })).toMatchObject({
      kind: "unknown",
      reason: "no_response",
    });
    expect(classifyResponse({ httpStatus: 503, bodyText: "<html>Service Unavailable</html>" })).toMatchObject({
      kind: "unknown",
      reason: "server_error",
      httpStatus: 503,
    });
    expect(classifyResponse({ httpStatus: 200, bodyText: "<html>" })).toMatchObject({
      kind: "unknown",
      reason: "unparseable_body",
    });
  });
});
