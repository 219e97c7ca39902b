import type { ProviderKind } from "@/domain/providers/types";
import { customAdapter } from "./custom.client";
import { tagoAdapter } from "./tago.client";
import { tdataAdapter } from "./tdata.client";
import { thethingsioAdapter } from "./thethingsio.client";
import { ttsAdapter } from "./tts.client";
import type { ProviderAdapter } from "./types";

/** kind → adapter. Adding a provider: one client file, one line here (docs/PROVIDER_INTEGRATION.md). */
const ADAPTERS: Record<ProviderKind, ProviderAdapter> = {
  tdata: tdataAdapter,
  tts: ttsAdapter,
  thethingsio: thethingsioAdapter,
  tago: tagoAdapter,
  custom: customAdapter,
};

export const adapterFor = (kind: ProviderKind): ProviderAdapter => ADAPTERS[kind];
