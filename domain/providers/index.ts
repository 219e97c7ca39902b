import { AppError } from "@/domain/errors";
import type { Capabilities, ErrorClass, HeadersLike, ParseResult, ProviderKind } from "./types";
import { classifyHttpError } from "./classify";
import { parseCustom, type CompiledCustomMapping } from "./custom";
import { parseTagoActionBody, parseTagoDataResponse } from "./tago";
import { parseTdataTimeseries } from "./tdata";
import { parseThethingsioResources } from "./thethingsio";
import { parseTtsStorageStream, parseTtsUplink, type TtsParseOptions } from "./tts";

export interface ParseContext {
  /** Non-secret device reference written into RawReading.deviceRef when the payload lacks one. */
  deviceRef: string;
  /** thethings.iO: the resource key the response belongs to. */
  key?: string;
  tts?: TtsParseOptions;
  custom?: CompiledCustomMapping;
}

export interface ProviderParsers {
  kind: ProviderKind;
  capabilities: Capabilities;
  /** Pull response (parsed JSON, or raw text for the TTS stream) → readings. Throws AppError on an unusable envelope. */
  parsePull(body: unknown, ctx: ParseContext): ParseResult;
  /** Push body → readings. Never throws. Null when the provider cannot push to us. */
  parsePush: ((body: unknown, ctx: ParseContext) => ParseResult) | null;
  classifyError(status: number | null, headers: HeadersLike | null | undefined, body: unknown, now?: Date): ErrorClass;
}

/** What each platform can do (§5). TTS Storage is batched and not meant for "latest". */
export const PROVIDER_CAPABILITIES: Record<ProviderKind, Capabilities> = {
  tdata: { latest: true, range: true, push: false, mqtt: false },
  tts: { latest: false, range: true, push: true, mqtt: true },
  thethingsio: { latest: true, range: true, push: false, mqtt: false },
  tago: { latest: true, range: true, push: true, mqtt: false },
  custom: { latest: true, range: false, push: true, mqtt: false },
};

const classifierFor =
  (kind: ProviderKind) => (status: number | null, headers: HeadersLike | null | undefined, body: unknown, now?: Date) =>
    classifyHttpError(kind, status, headers, body, now);

function requireMapping(ctx: ParseContext): CompiledCustomMapping {
  if (!ctx.custom) throw new AppError("BAD_INPUT", "custom provider parsing needs a compiled mapping");
  return ctx.custom;
}

export const PROVIDER_PARSERS: Record<ProviderKind, ProviderParsers> = {
  tdata: {
    kind: "tdata",
    capabilities: PROVIDER_CAPABILITIES.tdata,
    parsePull: (body, ctx) => parseTdataTimeseries(body, ctx.deviceRef),
    parsePush: null,
    classifyError: classifierFor("tdata"),
  },
  tts: {
    kind: "tts",
    capabilities: PROVIDER_CAPABILITIES.tts,
    parsePull: (body, ctx) => parseTtsStorageStream(typeof body === "string" ? body : JSON.stringify(body), ctx.tts),
    parsePush: (body, ctx) => parseTtsUplink(body, ctx.tts),
    classifyError: classifierFor("tts"),
  },
  thethingsio: {
    kind: "thethingsio",
    capabilities: PROVIDER_CAPABILITIES.thethingsio,
    parsePull: (body, ctx) => {
      if (!ctx.key) throw new AppError("BAD_INPUT", "thethings.iO parsing needs the resource key");
      return parseThethingsioResources(body, ctx.deviceRef, ctx.key);
    },
    parsePush: null,
    classifyError: classifierFor("thethingsio"),
  },
  tago: {
    kind: "tago",
    capabilities: PROVIDER_CAPABILITIES.tago,
    parsePull: (body, ctx) => parseTagoDataResponse(body, ctx.deviceRef),
    parsePush: (body) => parseTagoActionBody(body),
    classifyError: classifierFor("tago"),
  },
  custom: {
    kind: "custom",
    capabilities: PROVIDER_CAPABILITIES.custom,
    parsePull: (body, ctx) => parseCustom(body, requireMapping(ctx), ctx.deviceRef),
    parsePush: (body, ctx) =>
      ctx.custom
        ? parseCustom(body, ctx.custom, ctx.deviceRef)
        : { readings: [], rejected: [{ index: 0, reason: "no custom mapping configured" }] },
    classifyError: classifierFor("custom"),
  },
};

export const providerParsers = (kind: ProviderKind): ProviderParsers => PROVIDER_PARSERS[kind];

export * from "./types";
export * from "./shared";
export * from "./classify";
export * from "./custom";
export * from "./tago";
export * from "./tdata";
export * from "./thethingsio";
export * from "./tts";
export * from "./push-ack";
export * from "./backfill";
