import { appAt } from "@arena/testkit";
import { defineAdminUiTest } from "@arena/testkit/admin-ui";

// SQLAdmin started by `npm run admin` (its own .venv-admin), the Articles view opened from the index.
defineAdminUiTest(await appAt(new URL("..", import.meta.url)), {
  tool: "SQLAdmin",
  file: "sqladmin",
  command: "npm run admin",
  readyPath: "/admin/",
  async openArticles(page, baseUrl) {
    await page.goto(`${baseUrl}/admin/`);
    await page.getByRole("link", { name: "Articles", exact: true }).click();
  },
});
