import { z } from "zod";
import { IdSchema, ObraCodeSchema } from "./common";
import { POINT_KINDS } from "@/domain/dga/contract";
import { DGA_STANDARDS } from "@/domain/dga/standards";

export const DGA_TRANSPORTS = ["off", "shadow", "live"] as const;
export const POINT_STATUSES = ["active", "inactive", "maintenance"] as const;

const nonNeg = z.number().nonnegative();

/** Editable configuration of a capture point (PUT /points/{id}/config and the admin form). */
export const PointConfigSchema = z.object({
  name: z.string().trim().min(2).max(120),
  kind: z.enum(POINT_KINDS),
  obraCode: ObraCodeSchema.nullish(),
  dgaStandard: z.enum(DGA_STANDARDS),
  grantedFlowLps: nonNeg.nullish(),
  annualVolumeM3: nonNeg.nullish(),
  latitude: z.number().min(-56.5).max(-17).nullish(),
  longitude: z.number().min(-110).max(-66).nullish(),
  region: z.string().max(80).nullish(),
  shac: z.string().max(120).nullish(),
  wellDepthM: nonNeg.nullish(),
  sensorInstallDepthM: nonNeg.nullish(),
  levelMode: z.enum(["direct", "depth_from_install"]),
  pulseFactorL: z.number().positive().nullish(),
  expectedIntervalMin: z.number().int().min(1).max(1440),
  status: z.enum(POINT_STATUSES),
  dgaTransport: z.enum(DGA_TRANSPORTS),
  informanteId: IdSchema.nullish(),
  /** Forecast settings (issue #20); optional so existing forms leave them as they are. */
  waterYearStartMonth: z.number().int().min(1).max(12).optional(),
  pumpIntakeDepthM: nonNeg.nullish(),
  forecastLeadDays: z.number().int().min(1).max(365).optional(),
});

export const PointCreateSchema = PointConfigSchema.partial({
  dgaStandard: true,
  levelMode: true,
  expectedIntervalMin: true,
  status: true,
  dgaTransport: true,
})
  .extend({ clientId: IdSchema })
  .refine((p) => p.kind !== "groundwater" || p.levelMode !== "depth_from_install" || p.sensorInstallDepthM != null, {
    message: "Con nivel medido desde el sensor se requiere la profundidad de instalación",
    path: ["sensorInstallDepthM"],
  });
