import { PROVIDER_KINDS, type ProviderKind } from "@/domain/providers/types";

/** Provider kinds with a collect queue each (`collect-<kind>`, server/collection/jobs.ts); one source in domain/. */
export { PROVIDER_KINDS };
export type ProviderKindName = ProviderKind;
