import { router, featureRouter, createCallerFactory } from "./init";
import { operations } from "@/server/api/operations";

/** One line per feature; each procedure's path is its operation's name (the matrix test checks it). */
export const appRouter = router({
  me: featureRouter(operations.me),
  clients: featureRouter(operations.clients),
  modules: featureRouter(operations.modules),
  points: featureRouter(operations.points),
  notifications: featureRouter(operations.notifications),
  notificationRules: featureRouter(operations.notificationRules),
  users: featureRouter(operations.users),
  providers: featureRouter(operations.providers),
  informantes: featureRouter(operations.informantes),
  apiKeys: featureRouter(operations.apiKeys),
  audit: featureRouter(operations.audit),
  collection: featureRouter(operations.collection),
  analytics: featureRouter(operations.analytics),
  alertRules: featureRouter(operations.alertRules),
  alertGroups: featureRouter(operations.alertGroups),
  alertDefaults: featureRouter(operations.alertDefaults),
  forecast: featureRouter(operations.forecast),
  reports: featureRouter(operations.reports),
  compliance: featureRouter(operations.compliance),
  triage: featureRouter(operations.triage),
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
