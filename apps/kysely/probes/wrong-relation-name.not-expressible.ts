/**
 * Kysely has no relations to name: `DB` lists tables and columns only, and the app nests an
 * article's author as a jsonObjectFrom() subquery on `users` joined by `articles.author_id`. A
 * wrong table or join column there is rejected by tsc, but that is the misspelt-column check again;
 * `author` itself is the caller's own alias (`.as("author")`), not a name tsc could check.
 */
