import { createRouter, type RouteDeps } from "./context.js";

export function tagRoutes(deps: RouteDeps) {
  const { router } = createRouter(deps);
  router.get("/tags", async (c) => c.json({ tags: (await deps.store.listTags()).sort() }));
  return router;
}
