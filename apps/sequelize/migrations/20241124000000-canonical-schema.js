// The canonical schema (docs/schema.md), written by hand with Sequelize's QueryInterface: Sequelize
// has no schema-diff generator. JavaScript with JSDoc types, as sequelize-cli writes migrations, so
// that `node dist/migrate.js` can load it without a TypeScript step; `tsc` checks it all the same.
import { DataTypes, Sequelize } from "sequelize";

/** @typedef {import("umzug").MigrationFn<import("sequelize").QueryInterface>} Migration */

const id = () => ({ type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false });
const text = () => ({ type: DataTypes.TEXT, allowNull: false });
const optionalText = () => ({ type: DataTypes.TEXT, allowNull: true });
const uniqueText = () => ({ type: DataTypes.TEXT, allowNull: false, unique: true });
const timestamp = () => ({ type: DataTypes.DATE, allowNull: false, defaultValue: Sequelize.fn("now") });

/** @param {string} table the referenced table, whose `id` the column holds; rows go with it */
const reference = (table, primaryKey = false) => ({
  type: DataTypes.INTEGER,
  allowNull: false,
  primaryKey,
  references: { model: table, key: "id" },
  onDelete: "CASCADE",
});

/** @type {Migration} */
export const up = async ({ context: queryInterface }) => {
  // PostgreSQL has transactional DDL: a failed migration leaves nothing half-built.
  await queryInterface.sequelize.transaction(async (transaction) => {
    await queryInterface.createTable(
      "users",
      {
        id: id(),
        email: uniqueText(),
        username: uniqueText(),
        password_hash: text(),
        bio: optionalText(),
        image: optionalText(),
        created_at: timestamp(),
        updated_at: timestamp(),
      },
      { transaction },
    );

    await queryInterface.createTable(
      "follows",
      { follower_id: reference("users", true), followee_id: reference("users", true) },
      { transaction },
    );
    // The primary key serves "whom does X follow"; this serves "who follows X" and user deletes.
    await queryInterface.addIndex("follows", ["followee_id"], { name: "follows_followee_id_idx", transaction });

    await queryInterface.createTable(
      "articles",
      {
        id: id(),
        slug: uniqueText(),
        title: text(),
        description: text(),
        body: text(),
        author_id: reference("users"),
        created_at: timestamp(),
        updated_at: timestamp(),
      },
      { transaction },
    );
    // Newest-first pages of all articles, and of one author's articles (also the feed).
    await queryInterface.addIndex("articles", ["created_at"], { name: "articles_created_at_idx", transaction });
    await queryInterface.addIndex("articles", ["author_id", "created_at"], {
      name: "articles_author_id_created_at_idx",
      transaction,
    });

    await queryInterface.createTable("tags", { id: id(), name: uniqueText() }, { transaction });

    await queryInterface.createTable(
      "article_tags",
      { article_id: reference("articles", true), tag_id: reference("tags", true) },
      { transaction },
    );
    // The tag filter goes from a tag to its articles.
    await queryInterface.addIndex("article_tags", ["tag_id"], { name: "article_tags_tag_id_idx", transaction });

    await queryInterface.createTable(
      "favorites",
      { user_id: reference("users", true), article_id: reference("articles", true) },
      { transaction },
    );
    // favoritesCount counts by article.
    await queryInterface.addIndex("favorites", ["article_id"], { name: "favorites_article_id_idx", transaction });

    await queryInterface.createTable(
      "comments",
      {
        id: id(),
        body: text(),
        article_id: reference("articles"),
        author_id: reference("users"),
        created_at: timestamp(),
        updated_at: timestamp(),
      },
      { transaction },
    );
    await queryInterface.addIndex("comments", ["article_id"], { name: "comments_article_id_idx", transaction });
    await queryInterface.addIndex("comments", ["author_id"], { name: "comments_author_id_idx", transaction });
  });
};

/** @type {Migration} */
export const down = async ({ context: queryInterface }) => {
  await queryInterface.sequelize.transaction(async (transaction) => {
    for (const table of ["comments", "favorites", "article_tags", "tags", "articles", "follows", "users"]) {
      await queryInterface.dropTable(table, { transaction });
    }
  });
};
