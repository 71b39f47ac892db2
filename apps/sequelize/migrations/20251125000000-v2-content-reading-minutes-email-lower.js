// Schema v2 (issue #9), written by hand with Sequelize's QueryInterface like the first migration:
// Sequelize has no schema-diff generator (sequelize-cli's `migration:generate` writes an empty
// skeleton). The same change as pg's SQL migration, and its exact reverse in `down`.
import { DataTypes, Sequelize } from "sequelize";

/** @typedef {import("umzug").MigrationFn<import("sequelize").QueryInterface>} Migration */

/** The rule the API applies to new articles (READING_MINUTES_SQL in @arena/api): 200 words a minute, at least 1. */
const READING_MINUTES_SQL =
  "greatest(1, ceil((SELECT count(*) FROM regexp_matches(content, '\\S+', 'g')) / 200.0))::integer";

/** @type {Migration} */
export const up = async ({ context: queryInterface }) => {
  await queryInterface.sequelize.transaction(async (transaction) => {
    // 1. A rename keeps every row's text; a drop and add would lose it.
    await queryInterface.renameColumn("articles", "body", "content", { transaction });

    // 2. Reading time: added nullable, filled for existing rows, then made NOT NULL (no default).
    await queryInterface.addColumn(
      "articles",
      "reading_minutes",
      { type: DataTypes.INTEGER, allowNull: true },
      { transaction },
    );
    await queryInterface.sequelize.query(`UPDATE articles SET reading_minutes = ${READING_MINUTES_SQL}`, {
      transaction,
    });
    await queryInterface.changeColumn(
      "articles",
      "reading_minutes",
      { type: DataTypes.INTEGER, allowNull: false },
      { transaction },
    );

    // 3. Emails unique regardless of case. The index is built before the constraint goes, so there
    //    is no moment without a unique rule on email; it fails if two emails differ only in case.
    await queryInterface.addIndex("users", {
      name: "users_email_lower_key",
      unique: true,
      fields: [Sequelize.fn("lower", Sequelize.col("email"))],
      transaction,
    });
    await queryInterface.removeConstraint("users", "users_email_key", { transaction });
  });
};

/** @type {Migration} */
export const down = async ({ context: queryInterface }) => {
  await queryInterface.sequelize.transaction(async (transaction) => {
    await queryInterface.addConstraint("users", {
      type: "unique",
      fields: ["email"],
      name: "users_email_key",
      transaction,
    });
    await queryInterface.removeIndex("users", "users_email_lower_key", { transaction });
    await queryInterface.removeColumn("articles", "reading_minutes", { transaction });
    await queryInterface.renameColumn("articles", "content", "body", { transaction });
  });
};
