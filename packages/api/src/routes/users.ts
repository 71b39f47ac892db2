import { LoginUserRequest, NewUserRequest, UpdateUserRequest } from "@arena/contract";
import { invalidCredentials, invalidToken, taken } from "../errors.js";
import { hashPassword, verifyPassword } from "../password.js";
import { presentUser } from "../presenters.js";
import { ConflictError, type UserChanges } from "../store.js";
import { readBody } from "../validation.js";
import { createRouter, type RouteDeps, viewer } from "./context.js";

// Compared against when the email is unknown, so a failed login costs the same either way.
const unknownUserHash = hashPassword("no user has this password");

export function userRoutes(deps: RouteDeps) {
  const { store, tokens, passwordCost } = deps;
  const { router, requireAuth } = createRouter(deps);

  router.post("/users", async (c) => {
    const { user } = await readBody(c, NewUserRequest, "user");
    const passwordHash = await hashPassword(user.password, passwordCost);
    const created = await store
      .createUser({ username: user.username, email: user.email, passwordHash })
      .catch(rethrowConflict);
    return c.json({ user: presentUser(created, await tokens.issue(created.id)) }, 201);
  });

  router.post("/users/login", async (c) => {
    const { user } = await readBody(c, LoginUserRequest, "user");
    const found = await store.findCredentialsByEmail(user.email);
    const matches = await verifyPassword(user.password, found?.passwordHash ?? (await unknownUserHash));
    if (!found || !matches) throw invalidCredentials();
    return c.json({ user: presentUser(found, await tokens.issue(found.id)) });
  });

  router.get("/user", requireAuth, async (c) => {
    // Loaded by requireAuth when it checked the token: no second lookup.
    const user = c.get("viewerUser");
    if (!user) throw invalidToken();
    return c.json({ user: presentUser(user, await tokens.issue(user.id)) });
  });

  router.put("/user", requireAuth, async (c) => {
    const { user } = await readBody(c, UpdateUserRequest, "user");
    const changes: UserChanges = {};
    if (user.email !== undefined) changes.email = user.email;
    if (user.username !== undefined) changes.username = user.username;
    if (user.password !== undefined) changes.passwordHash = await hashPassword(user.password, passwordCost);
    // An empty string clears bio or image, like null does.
    if (user.bio !== undefined) changes.bio = user.bio === "" ? null : user.bio;
    if (user.image !== undefined) changes.image = user.image === "" ? null : user.image;
    const updated = await store.updateUser(viewer(c), changes).catch(rethrowConflict);
    if (!updated) throw invalidToken();
    return c.json({ user: presentUser(updated, await tokens.issue(updated.id)) });
  });

  return router;
}

function rethrowConflict(error: unknown): never {
  if (error instanceof ConflictError) throw taken(error.field);
  throw error;
}
