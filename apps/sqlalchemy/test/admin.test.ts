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
  // Its datetime inputs hold whole seconds: with the timestamps in the form, saving cut them.
  edit: {
    table: "articles",
    column: "title",
    value: "Retitled in SQLAdmin",
    async perform(page, baseUrl, row) {
      await page.goto(`${baseUrl}/admin/article/edit/${row.id}`);
      await page.locator("[name=title]").fill(row.value);
      await page.getByRole("button", { name: "Save", exact: true }).click();
    },
  },
});
