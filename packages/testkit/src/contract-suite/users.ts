import { messages, UserResponse } from "@arena/contract";
import { describe, expect, it } from "vitest";
import { type ConduitClient, expectError, expectShape, unique } from "./client.js";

export function userContract(client: () => ConduitClient): void {
  describe("registration: POST /api/users", () => {
    it("returns 201 with the user, a token, and null bio and image", async () => {
      const api = client();
      const username = unique("reg");
      const reply = await api.post("/api/users", {
        user: { username, email: `${username}@example.com`, password: "password123" },
      });
      expect(reply.status).toBe(201);
      const { user } = expectShape(UserResponse, reply.body);
      expect(user).toMatchObject({ username, email: `${username}@example.com`, bio: null, image: null });
      expect(user.token.split(".")).toHaveLength(3);
      const me = await api.get("/api/user", user.token);
      expect(me.status).toBe(200);
      expect(expectShape(UserResponse, me.body).user.username).toBe(username);
    });

    it.each(["username", "email", "password"])("answers 422 when %s is missing or blank", async (field) => {
      const api = client();
      const username = unique("blank");
      const user: Record<string, string> = { username, email: `${username}@example.com`, password: "password123" };
      expectError(await api.post("/api/users", { user: { ...user, [field]: "" } }), 422, field, messages.blank);
      expectError(await api.post("/api/users", { user: { ...user, [field]: "   " } }), 422, field, messages.blank);
      const { [field]: _omitted, ...rest } = user;
      expectError(await api.post("/api/users", { user: rest }), 422, field, messages.blank);
    });

    it("answers 422 without the user envelope", async () => {
      expectError(await client().post("/api/users", {}), 422, "user", messages.blank);
    });

    it("answers 422 for a malformed email and a password under 8 characters", async () => {
      const api = client();
      const username = unique("bad");
      expectError(
        await api.post("/api/users", { user: { username, email: "not-an-email", password: "password123" } }),
        422,
        "email",
        messages.invalidEmail,
      );
      expectError(
        await api.post("/api/users", { user: { username, email: `${username}@example.com`, password: "short" } }),
        422,
        "password",
        messages.passwordTooShort,
      );
    });

    it("answers 409 for a taken username or email", async () => {
      const api = client();
      const existing = await api.register();
      const other = unique("other");
      expectError(
        await api.post("/api/users", {
          user: { username: existing.username, email: `${other}@example.com`, password: "password123" },
        }),
        409,
        "username",
        messages.taken,
      );
      expectError(
        await api.post("/api/users", { user: { username: other, email: existing.email, password: "password123" } }),
        409,
        "email",
        messages.taken,
      );
    });

    it("answers 409 for an email taken in another case, and keeps the email as given", async () => {
      const api = client();
      const username = unique("Case");
      const email = `${username}.Mixed@Example.com`;
      const reply = await api.post("/api/users", { user: { username, email, password: "password123" } });
      expect(reply.status).toBe(201);
      expect(expectShape(UserResponse, reply.body).user.email).toBe(email);
      for (const variant of [email.toLowerCase(), email.toUpperCase()]) {
        expectError(
          await api.post("/api/users", {
            user: { username: unique("other"), email: variant, password: "password123" },
          }),
          409,
          "email",
          messages.taken,
        );
      }
    });
  });

  describe("login: POST /api/users/login", () => {
    it("returns 200 with the user and a working token", async () => {
      const api = client();
      const account = await api.register();
      const reply = await api.post("/api/users/login", { user: { email: account.email, password: account.password } });
      expect(reply.status).toBe(200);
      const { user } = expectShape(UserResponse, reply.body);
      expect(user).toMatchObject({ username: account.username, email: account.email, bio: null, image: null });
      expect((await api.get("/api/user", user.token)).status).toBe(200);
    });

    it("accepts the email in any case", async () => {
      const api = client();
      const username = unique("Login");
      const account = await api.register({ email: `${username}@Example.com` });
      for (const email of [account.email.toLowerCase(), account.email.toUpperCase()]) {
        const reply = await api.post("/api/users/login", { user: { email, password: account.password } });
        expect(reply.status).toBe(200);
        const { user } = expectShape(UserResponse, reply.body);
        expect(user).toMatchObject({ username: account.username, email: account.email });
      }
      expectError(
        await api.post("/api/users/login", {
          user: { email: account.email.toUpperCase(), password: "wrong-password" },
        }),
        401,
        "credentials",
        messages.invalidCredentials,
      );
    });

    it("answers 401 credentials invalid for a wrong password or an unknown email", async () => {
      const api = client();
      const account = await api.register();
      expectError(
        await api.post("/api/users/login", { user: { email: account.email, password: "wrong-password" } }),
        401,
        "credentials",
        messages.invalidCredentials,
      );
      expectError(
        await api.post("/api/users/login", {
          user: { email: `${unique("nobody")}@example.com`, password: "password123" },
        }),
        401,
        "credentials",
        messages.invalidCredentials,
      );
    });

    it("answers 422 for a blank email or password", async () => {
      const api = client();
      expectError(
        await api.post("/api/users/login", { user: { email: "", password: "password123" } }),
        422,
        "email",
        messages.blank,
      );
      expectError(
        await api.post("/api/users/login", { user: { email: "a@example.com", password: "" } }),
        422,
        "password",
        messages.blank,
      );
    });
  });

  describe("authentication", () => {
    it("answers 401 token is missing without an Authorization header", async () => {
      expectError(await client().get("/api/user"), 401, "token", messages.missingToken);
    });

    it("answers 401 token is invalid for a malformed, tampered, foreign or expired token", async () => {
      const api = client();
      const account = await api.register();
      const [header, , signature] = account.token.split(".");
      const tampered = `${header}.${Buffer.from(JSON.stringify({ sub: "1", exp: 4102444800 })).toString("base64url")}.${signature}`;
      const now = Math.floor(Date.now() / 1000);
      const expired = api.forgeToken({ sub: "1", iat: now - 7200, exp: now - 3600 });
      const foreign = api.forgeToken({ sub: "1", iat: now, exp: now + 3600 }, "some other secret");
      const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${Buffer.from('{"sub":"1"}').toString("base64url")}.`;
      for (const token of ["garbage", tampered, expired, foreign, unsigned]) {
        expectError(await api.get("/api/user", token), 401, "token", messages.invalidToken);
      }
      const wrongScheme = await api.send("GET", "/api/user", undefined, {
        headers: { Authorization: `Basic ${account.token}` },
      });
      expectError(wrongScheme, 401, "token", messages.invalidToken);
    });

    it("accepts the Bearer scheme as well as Token", async () => {
      const api = client();
      const account = await api.register();
      const reply = await api.send("GET", "/api/user", undefined, {
        headers: { Authorization: `Bearer ${account.token}` },
      });
      expect(reply.status).toBe(200);
    });
  });

  describe("current user: GET and PUT /api/user", () => {
    it("GET returns the current user", async () => {
      const api = client();
      const account = await api.register();
      const reply = await api.get("/api/user", account.token);
      expect(reply.status).toBe(200);
      expect(expectShape(UserResponse, reply.body).user).toMatchObject({
        username: account.username,
        email: account.email,
        bio: null,
        image: null,
      });
    });

    it("PUT is a partial update that persists", async () => {
      const api = client();
      const account = await api.register();
      const reply = await api.put("/api/user", { user: { bio: "I write about ORMs." } }, account.token);
      expect(reply.status).toBe(200);
      expect(expectShape(UserResponse, reply.body).user).toMatchObject({
        username: account.username,
        email: account.email,
        bio: "I write about ORMs.",
        image: null,
      });
      const image = await api.put("/api/user", { user: { image: "https://example.com/me.png" } }, account.token);
      expect(expectShape(UserResponse, image.body).user).toMatchObject({
        bio: "I write about ORMs.",
        image: "https://example.com/me.png",
      });
      const me = expectShape(UserResponse, (await api.get("/api/user", account.token)).body).user;
      expect(me).toMatchObject({ bio: "I write about ORMs.", image: "https://example.com/me.png" });
    });

    it.each(["bio", "image"])('stores %s "" and null as null', async (field) => {
      const api = client();
      const account = await api.register();
      for (const cleared of ["", null]) {
        await api.put("/api/user", { user: { [field]: "something" } }, account.token);
        const reply = await api.put("/api/user", { user: { [field]: cleared } }, account.token);
        expect(reply.status).toBe(200);
        expect(expectShape(UserResponse, reply.body).user[field as "bio" | "image"]).toBeNull();
        const me = expectShape(UserResponse, (await api.get("/api/user", account.token)).body).user;
        expect(me[field as "bio" | "image"]).toBeNull();
      }
    });

    it.each(["email", "username"])('answers 422 for %s set to null or ""', async (field) => {
      const api = client();
      const account = await api.register();
      expectError(await api.put("/api/user", { user: { [field]: null } }, account.token), 422, field, messages.blank);
      expectError(await api.put("/api/user", { user: { [field]: "" } }, account.token), 422, field, messages.blank);
      const me = expectShape(UserResponse, (await api.get("/api/user", account.token)).body).user;
      expect(me).toMatchObject({ username: account.username, email: account.email });
    });

    it("changes the password: under 8 characters is a 422, 64 characters are accepted", async () => {
      const api = client();
      const account = await api.register();
      expectError(
        await api.put("/api/user", { user: { password: "1234567" } }, account.token),
        422,
        "password",
        messages.passwordTooShort,
      );
      const long = `${"p".repeat(63)}!`;
      expect((await api.put("/api/user", { user: { password: long } }, account.token)).status).toBe(200);
      expectError(
        await api.post("/api/users/login", { user: { email: account.email, password: account.password } }),
        401,
        "credentials",
      );
      const login = await api.post("/api/users/login", { user: { email: account.email, password: long } });
      expect(login.status).toBe(200);
    });

    it("keeps the old token working after a username and email change", async () => {
      const api = client();
      const account = await api.register();
      const renamed = unique("renamed");
      const reply = await api.put(
        "/api/user",
        { user: { username: renamed, email: `${renamed}@example.com` } },
        account.token,
      );
      expect(reply.status).toBe(200);
      const updated = expectShape(UserResponse, reply.body).user;
      expect(updated).toMatchObject({ username: renamed, email: `${renamed}@example.com` });
      const withOldToken = await api.get("/api/user", account.token);
      expect(expectShape(UserResponse, withOldToken.body).user.username).toBe(renamed);
      const withNewToken = await api.get("/api/user", updated.token);
      expect(expectShape(UserResponse, withNewToken.body).user.email).toBe(`${renamed}@example.com`);
      expect((await api.get(`/api/profiles/${renamed}`)).status).toBe(200);
      expect((await api.get(`/api/profiles/${account.username}`)).status).toBe(404);
    });

    it("answers 409 when the new username or email is taken, and changes nothing", async () => {
      const api = client();
      const [first, second] = await Promise.all([api.register(), api.register()]);
      expectError(
        await api.put("/api/user", { user: { username: first.username } }, second.token),
        409,
        "username",
        messages.taken,
      );
      expectError(
        await api.put("/api/user", { user: { email: first.email, bio: "x" } }, second.token),
        409,
        "email",
        messages.taken,
      );
      const me = expectShape(UserResponse, (await api.get("/api/user", second.token)).body).user;
      expect(me).toMatchObject({ username: second.username, email: second.email, bio: null });
    });

    it("answers 422 for an update without any field, and 401 without a token", async () => {
      const api = client();
      const account = await api.register();
      expectError(await api.put("/api/user", { user: {} }, account.token), 422, "user", messages.emptyUpdate);
      expectError(await api.put("/api/user", { user: { bio: "x" } }), 401, "token", messages.missingToken);
    });
  });
}
