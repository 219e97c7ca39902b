import type { Operation } from "../operation";
import * as clients from "./clients";
import * as points from "./points";
import * as notifications from "./notifications";
import * as users from "./users";
import * as providers from "./providers";
import * as providerData from "./provider-data";
import * as admin from "./admin";
import * as collection from "./collection";
import * as analytics from "./analytics";
import * as reports from "./reports";
import * as compliance from "./compliance";
import * as forecast from "./forecast";
import * as alertRules from "./alert-rules";
import * as alertGroups from "./alert-groups";
import * as alertDefaults from "./alert-defaults";

function collect(...mods: Record<string, unknown>[]): Operation[] {
  return mods.flatMap((m) =>
    Object.values(m).filter((v): v is Operation => !!v && typeof v === "object" && "handler" in v && "scope" in v),
  );
}

/** Every business operation; tRPC routers, REST routes, OpenAPI and the authorization matrix test all read this. */
export const OPERATIONS: Operation[] = collect(
  clients,
  points,
  notifications,
  users,
  providers,
  providerData,
  admin,
  compliance,
  analytics,
  reports,
  collection,
  forecast,
  alertRules,
  alertGroups,
  alertDefaults,
);
