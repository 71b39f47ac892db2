import { TagsResponse } from "@arena/contract";
import { describe, expect, it } from "vitest";
import { type ConduitClient, expectShape, unique } from "./client.js";

export function tagContract(client: () => ConduitClient): void {
  describe("tags: GET /api/tags", () => {
    it("lists every tag once, in alphabetical order, including new ones", async () => {
      const api = client();
      const author = await api.register();
      const [h, t] = [unique("h"), unique("t")];
      await api.createArticle(author, { tagList: [t, h] });
      await api.createArticle(author, { tagList: [h] });
      const reply = await api.get("/api/tags");
      expect(reply.status).toBe(200);
      const { tags } = expectShape(TagsResponse, reply.body);
      expect(tags).toContain(h);
      expect(tags).toContain(t);
      expect(tags.filter((tag) => tag === h)).toHaveLength(1);
      expect(tags).toEqual([...tags].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    });
  });
}
