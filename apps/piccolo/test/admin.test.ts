import { appAt } from "@arena/testkit";
import { defineAdminUiTest } from "@arena/testkit/admin-ui";

// Piccolo Admin started by `npm run admin` (its own .venv-admin), signed in with the user admin.py
// creates at start, then the articles table from the sidebar.
defineAdminUiTest(await appAt(new URL("..", import.meta.url)), {
  tool: "Piccolo Admin",
  file: "piccolo-admin",
  command: "npm run admin",
  readyPath: "/",
  async openArticles(page, baseUrl) {
    await page.goto(baseUrl);
    await page.locator("input[name=username]").fill("admin");
    await page.locator("input[name=password]").fill("conduit-admin");
    await page.getByRole("button", { name: "Login" }).click();
    await page.getByRole("link", { name: "articles", exact: true }).click();
  },
  // A user, not an article: an article's edit form sends author_id empty and gets 422
  // (docs/admin.md). Saving a bio used to blank the password hash and cut the timestamps.
  edit: {
    table: "users",
    column: "bio",
    value: "Bio edited in Piccolo Admin",
    async perform(page, baseUrl, row) {
      await page.goto(`${baseUrl}/#/users/${row.id}/`);
      await page.locator("[name=bio]").first().fill(row.value);
      await page.getByRole("button", { name: /save/i }).first().click();
    },
  },
  harmlessConsoleErrors: [
    // Before signing in, the page asks for its tables, forms, links and user, gets 401s (logged by
    // the browser and by its HTTP client), then shows the login form.
    { pattern: /status of 401 \(Unauthorized\)/, why: "the pre-login requests" },
    { pattern: /^AxiosError: Request failed with status code 401/, why: "the pre-login requests" },
    // Piccolo Admin serves no /favicon.ico.
    { pattern: /status of 404 \(Not Found\)/, why: "the browser's /favicon.ico request" },
  ],
});
