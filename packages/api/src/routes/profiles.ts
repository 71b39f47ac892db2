import { notFound } from "../errors.js";
import { presentProfile } from "../presenters.js";
import type { ProfileRecord } from "../store.js";
import { pathKey } from "../validation.js";
import { createRouter, type RouteDeps, viewer } from "./context.js";

export function profileRoutes(deps: RouteDeps) {
  const { store } = deps;
  const { router, requireAuth, optionalAuth } = createRouter(deps);
  const respond = (profile: ProfileRecord | null) => {
    if (!profile) throw notFound("profile");
    return { profile: presentProfile(profile) };
  };

  router.get("/profiles/:username", optionalAuth, async (c) =>
    c.json(respond(await store.getProfile(pathKey(c, "username"), c.get("viewerId")))),
  );

  router.post("/profiles/:username/follow", requireAuth, async (c) =>
    c.json(respond(await store.followUser(viewer(c), pathKey(c, "username")))),
  );

  router.delete("/profiles/:username/follow", requireAuth, async (c) =>
    c.json(respond(await store.unfollowUser(viewer(c), pathKey(c, "username")))),
  );

  return router;
}
