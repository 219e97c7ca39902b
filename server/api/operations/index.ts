import { nameOperations, type Operation } from "../operation";
import { meOps, userOps } from "./users";
import { clientOps, moduleOps } from "./clients";
import { pointOps } from "./points";
import { pointMeterOps } from "./point-meters";
import { notificationOps, notificationRuleOps } from "./notifications";
import { providerOps } from "./providers";
import { informanteOps, apiKeyOps, auditOps } from "./admin";
import { collectionOps } from "./collection";
import { analyticsOps } from "./analytics";
import { alertRuleOps } from "./alert-rules";
import { alertGroupOps } from "./alert-groups";
import { alertDefaultOps } from "./alert-defaults";
import { forecastOps } from "./forecast";
import { reportOps } from "./reports";
import { complianceOps } from "./compliance";
import { triageOps } from "./triage";

/**
 * Every business operation, by feature. The key path is the operation's name (`compliance.calendar`): its tRPC
 * path, its audit action and its OpenAPI operationId. The tRPC root, the REST routes, the OpenAPI document and the
 * authorization matrix test all read this one registry; adding an endpoint is one entry in its feature's map.
 */
export const operations = nameOperations({
  me: meOps,
  clients: clientOps,
  modules: moduleOps,
  points: { ...pointOps, ...pointMeterOps },
  notifications: notificationOps,
  notificationRules: notificationRuleOps,
  users: userOps,
  providers: providerOps,
  informantes: informanteOps,
  apiKeys: apiKeyOps,
  audit: auditOps,
  collection: collectionOps,
  analytics: analyticsOps,
  alertRules: alertRuleOps,
  alertGroups: alertGroupOps,
  alertDefaults: alertDefaultOps,
  forecast: forecastOps,
  reports: reportOps,
  compliance: complianceOps,
  triage: triageOps,
});

/** The registry flattened, in registry order. */
export const OPERATIONS: Operation[] = Object.values(operations).flatMap((ops) => Object.values(ops) as Operation[]);
