import { appAt } from "@arena/testkit";
import { defineAdminUiTest, SEEDED_TITLES } from "@arena/testkit/admin-ui";

// Prisma Studio started by `npm run admin` (`prisma studio` through scripts/prisma.ts: no schema
// engine needed), the articles table picked from its table list.
defineAdminUiTest(await appAt(new URL("..", import.meta.url)), {
  tool: "Prisma Studio",
  file: "prisma-studio",
  command: "npm run admin",
  readyPath: "/",
  async openArticles(page, baseUrl) {
    await page.goto(baseUrl);
    await page.getByText("articles", { exact: true }).click();
  },
  edit: {
    table: "articles",
    column: "title",
    value: "Retitled in Prisma Studio",
    async perform(page, _baseUrl, row) {
      // The grid shows the articles table; the seeded row's title cell is edited in place.
      await page
        .getByText(SEEDED_TITLES[0] as string, { exact: true })
        .first()
        .dblclick();
      await page.keyboard.press("Control+A");
      await page.keyboard.type(row.value);
      await page.keyboard.press("Enter");
      await page.getByRole("button", { name: "Save 1 row" }).click();
      await page.getByRole("button", { name: "yes, write to db" }).click();
    },
  },
  harmlessConsoleErrors: [
    // The page itself reports "studio_launched" to checkpoint.prisma.io (CHECKPOINT_DISABLE does
    // not stop it); the check blocks every other origin, so the report fails, and Studio goes on.
    { pattern: /net::ERR_INTERNET_DISCONNECTED/, why: "the blocked telemetry request" },
    { pattern: /^TypeError: Failed to fetch/, why: "the blocked telemetry request, as Studio's code reports it" },
  ],
});
