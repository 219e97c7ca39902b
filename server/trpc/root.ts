import { router, queryFor, mutationFor, createCallerFactory } from "./init";
import * as clients from "@/server/api/operations/clients";
import * as points from "@/server/api/operations/points";
import * as n from "@/server/api/operations/notifications";
import * as users from "@/server/api/operations/users";
import * as prov from "@/server/api/operations/providers";
import * as admin from "@/server/api/operations/admin";

export const appRouter = router({
  me: router({ get: queryFor(users.me) }),
  clients: router({ list: queryFor(clients.listClients), get: queryFor(clients.getClient), create: mutationFor(clients.createClient), update: mutationFor(clients.updateClient) }),
  modules: router({ list: queryFor(clients.listModules), set: mutationFor(clients.setModules) }),
  points: router({
    list: queryFor(points.listPoints), get: queryFor(points.getPoint), create: mutationFor(points.createPoint),
    updateConfig: mutationFor(points.updatePointConfig), delete: mutationFor(points.deletePoint),
  }),
  notifications: router({ list: queryFor(n.listNotifications), create: mutationFor(n.createNotification), markRead: mutationFor(n.markNotificationRead), delete: mutationFor(n.deleteNotification) }),
  notificationRules: router({ list: queryFor(n.listRules), create: mutationFor(n.createRule), update: mutationFor(n.updateRule), delete: mutationFor(n.deleteRule) }),
  users: router({ list: queryFor(users.listUsers), create: mutationFor(users.createUser), update: mutationFor(users.updateUser) }),
  providers: router({
    listAccounts: queryFor(prov.listAccounts), createAccount: mutationFor(prov.createAccount), updateAccount: mutationFor(prov.updateAccount),
    listBindings: queryFor(prov.listBindings), createBinding: mutationFor(prov.createBinding), deleteBinding: mutationFor(prov.deleteBinding),
  }),
  informantes: router({ list: queryFor(admin.listInformantes), create: mutationFor(admin.createInformante), update: mutationFor(admin.updateInformante) }),
  apiKeys: router({ list: queryFor(admin.listApiKeys), create: mutationFor(admin.createApiKey), revoke: mutationFor(admin.revokeApiKey) }),
  audit: router({ list: queryFor(admin.listAudit) }),
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
