import { messages, ProfileResponse } from "@arena/contract";
import { describe, expect, it } from "vitest";
import { type ConduitClient, expectError, expectShape, path, unique } from "./client.js";

export function profileContract(client: () => ConduitClient): void {
  describe("profiles: /api/profiles/:username", () => {
    it("returns a profile to anonymous and signed-in viewers", async () => {
      const api = client();
      const [celeb, fan] = await Promise.all([api.register(), api.register()]);
      await api.put("/api/user", { user: { bio: "Famous.", image: "https://example.com/c.png" } }, celeb.token);
      for (const token of [undefined, fan.token]) {
        const reply = await api.get(path.profile(celeb.username), token);
        expect(reply.status).toBe(200);
        expect(expectShape(ProfileResponse, reply.body).profile).toEqual({
          username: celeb.username,
          bio: "Famous.",
          image: "https://example.com/c.png",
          following: false,
        });
      }
    });

    it("answers 404 profile not found for an unknown username", async () => {
      const api = client();
      const fan = await api.register();
      const unknown = unique("ghost");
      expectError(await api.get(path.profile(unknown)), 404, "profile", messages.notFound);
      expectError(await api.post(path.follow(unknown), undefined, fan.token), 404, "profile", messages.notFound);
      expectError(await api.delete(path.follow(unknown), fan.token), 404, "profile", messages.notFound);
    });

    it("follows and unfollows, idempotently, and reports following to that viewer only", async () => {
      const api = client();
      const [celeb, fan, other] = await Promise.all([api.register(), api.register(), api.register()]);
      for (let i = 0; i < 2; i++) {
        const followed = await api.post(path.follow(celeb.username), undefined, fan.token);
        expect(followed.status).toBe(200);
        expect(expectShape(ProfileResponse, followed.body).profile).toEqual({
          username: celeb.username,
          bio: null,
          image: null,
          following: true,
        });
      }
      expect(
        expectShape(ProfileResponse, (await api.get(path.profile(celeb.username), fan.token)).body).profile.following,
      ).toBe(true);
      expect(
        expectShape(ProfileResponse, (await api.get(path.profile(celeb.username), other.token)).body).profile.following,
      ).toBe(false);
      expect(expectShape(ProfileResponse, (await api.get(path.profile(celeb.username))).body).profile.following).toBe(
        false,
      );
      for (let i = 0; i < 2; i++) {
        const unfollowed = await api.delete(path.follow(celeb.username), fan.token);
        expect(unfollowed.status).toBe(200);
        expect(expectShape(ProfileResponse, unfollowed.body).profile.following).toBe(false);
      }
      expect(
        expectShape(ProfileResponse, (await api.get(path.profile(celeb.username), fan.token)).body).profile.following,
      ).toBe(false);
    });

    it("answers 401 for follow and unfollow without a token, before looking the user up", async () => {
      const api = client();
      const unknown = unique("ghost");
      expectError(await api.post(path.follow(unknown)), 401, "token", messages.missingToken);
      expectError(await api.delete(path.follow(unknown)), 401, "token", messages.missingToken);
    });
  });
}
