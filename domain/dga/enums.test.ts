import { describe, expect, it } from "vitest";
import * as prisma from "@/generated/prisma/enums";
import { POINT_KINDS } from "./contract";
import { SLOT_STATES } from "./retry";
import { DGA_STANDARDS } from "./standards";

// domain/ cannot import Prisma, so its copies of the enums are checked against the schema here.
describe("domain enums mirror prisma/schema.prisma", () => {
  it.each([
    ["PointKind", POINT_KINDS, prisma.PointKind],
    ["DgaStandard", DGA_STANDARDS, prisma.DgaStandard],
    ["SlotState", SLOT_STATES, prisma.SlotState],
  ] as const)("%s", (_name, domainValues, prismaEnum) => {
    expect([...domainValues].sort()).toEqual(Object.values(prismaEnum).sort());
  });
});
