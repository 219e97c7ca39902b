import { router, queryFor, mutationFor, createCallerFactory } from "./init";
import * as clients from "@/server/api/operations/clients";
import * as points from "@/server/api/operations/points";
import * as n from "@/server/api/operations/notifications";
import * as users from "@/server/api/operations/users";
import * as prov from "@/server/api/operations/providers";
import * as provData from "@/server/api/operations/provider-data";
import * as admin from "@/server/api/operations/admin";
import * as collection from "@/server/api/operations/collection";
import * as analytics from "@/server/api/operations/analytics";
import * as reports from "@/server/api/operations/reports";
import * as compliance from "@/server/api/operations/compliance";
import * as forecast from "@/server/api/operations/forecast";
import * as ar from "@/server/api/operations/alert-rules";
import * as ag from "@/server/api/operations/alert-groups";
import * as ad from "@/server/api/operations/alert-defaults";

export const appRouter = router({
  me: router({ get: queryFor(users.me) }),
  clients: router({
    list: queryFor(clients.listClients),
    get: queryFor(clients.getClient),
    create: mutationFor(clients.createClient),
    update: mutationFor(clients.updateClient),
  }),
  modules: router({ list: queryFor(clients.listModules), set: mutationFor(clients.setModules) }),
  points: router({
    list: queryFor(points.listPoints),
    get: queryFor(points.getPoint),
    create: mutationFor(points.createPoint),
    updateConfig: mutationFor(points.updatePointConfig),
    delete: mutationFor(points.deletePoint),
    setDgaGoLive: mutationFor(points.setPointDgaGoLive),
  }),
  notifications: router({
    list: queryFor(n.listNotifications),
    create: mutationFor(n.createNotification),
    markRead: mutationFor(n.markNotificationRead),
    delete: mutationFor(n.deleteNotification),
  }),
  notificationRules: router({
    list: queryFor(n.listRules),
    create: mutationFor(n.createRule),
    update: mutationFor(n.updateRule),
    delete: mutationFor(n.deleteRule),
  }),
  users: router({
    list: queryFor(users.listUsers),
    create: mutationFor(users.createUser),
    update: mutationFor(users.updateUser),
  }),
  providers: router({
    listAccounts: queryFor(prov.listAccounts),
    createAccount: mutationFor(prov.createAccount),
    updateAccount: mutationFor(prov.updateAccount),
    listBindings: queryFor(prov.listBindings),
    createBinding: mutationFor(prov.createBinding),
    deleteBinding: mutationFor(prov.deleteBinding),
    rejectedPayloads: queryFor(provData.rejectedPayloads),
  }),
  meters: router({ list: queryFor(provData.listMeterChanges), recordChange: mutationFor(provData.recordMeterChange) }),
  informantes: router({
    list: queryFor(admin.listInformantes),
    create: mutationFor(admin.createInformante),
    update: mutationFor(admin.updateInformante),
  }),
  apiKeys: router({
    list: queryFor(admin.listApiKeys),
    create: mutationFor(admin.createApiKey),
    revoke: mutationFor(admin.revokeApiKey),
  }),
  audit: router({ list: queryFor(admin.listAudit) }),
  collection: router({
    providers: queryFor(collection.listProviders),
    run: mutationFor(collection.runCollection),
    job: queryFor(collection.collectJob),
    status: queryFor(collection.collectionStatus),
  }),
  analytics: router({
    history: queryFor(analytics.history),
    realtime: queryFor(analytics.realtime),
    clientRealtime: queryFor(analytics.clientRealtime),
    overview: queryFor(analytics.overview),
    consumption: queryFor(analytics.consumptionOp),
    anomalies: queryFor(analytics.anomalies),
    ackAnomaly: mutationFor(analytics.ackAnomalyOp),
    resolveAnomaly: mutationFor(analytics.resolveAnomalyOp),
  }),
  alertRules: router({
    list: queryFor(ar.listAlertRules),
    preview: queryFor(ar.previewAlertRule),
    create: mutationFor(ar.createAlertRule),
    update: mutationFor(ar.updateAlertRule),
    delete: mutationFor(ar.deleteAlertRule),
  }),
  alertGroups: router({
    list: queryFor(ag.listAlertGroups),
    create: mutationFor(ag.createAlertGroup),
    update: mutationFor(ag.updateAlertGroup),
    delete: mutationFor(ag.deleteAlertGroup),
  }),
  alertDefaults: router({
    list: queryFor(ad.listAlertDefaults),
    set: mutationFor(ad.setAlertDefault),
    reset: mutationFor(ad.resetAlertDefault),
    preview: queryFor(ad.previewAlertDefault),
  }),
  forecast: router({ point: queryFor(forecast.pointForecastOp), client: queryFor(forecast.clientForecastOp) }),
  reports: router({
    create: mutationFor(reports.createReport),
    get: queryFor(reports.getReport),
    list: queryFor(reports.listReports),
  }),
  compliance: router({
    calendar: queryFor(compliance.complianceCalendar),
    summary: queryFor(compliance.complianceSummary),
    reviewQueue: queryFor(compliance.complianceReviewQueue),
    accept: mutationFor(compliance.complianceAccept),
    discard: mutationFor(compliance.complianceDiscard),
    receipts: queryFor(compliance.complianceReceipts),
    receiptsCsv: queryFor(compliance.complianceReceiptsCsv),
    verifyReceipt: mutationFor(compliance.complianceVerifyReceipt),
    setTransport: mutationFor(compliance.complianceSetTransport),
    runCycle: mutationFor(compliance.complianceRunCycle),
    slotAttempts: queryFor(compliance.complianceSlotAttempts),
  }),
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
