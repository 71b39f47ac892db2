import {
  type CreationOptional,
  col,
  DataTypes,
  type ForeignKey,
  fn,
  type InferAttributes,
  type InferCreationAttributes,
  Model,
  type NonAttribute,
  type Sequelize,
} from "sequelize";

// The models map the canonical schema: `underscored: true` turns `passwordHash` into
// `password_hash`, `authorId` into `author_id` and the timestamps into `created_at`/`updated_at`.
// They describe the tables for queries only: the schema itself comes from `migrations/`.

export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
  declare id: CreationOptional<number>;
  declare email: string;
  declare username: string;
  declare passwordHash: string;
  declare bio: CreationOptional<string | null>;
  declare image: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  /** The viewer's follow of this user, when a query includes it (zero or one link). */
  declare followerLinks?: NonAttribute<Follow[]>;
}

export class Follow extends Model<InferAttributes<Follow>, InferCreationAttributes<Follow>> {
  declare followerId: ForeignKey<User["id"]>;
  declare followeeId: ForeignKey<User["id"]>;
}

export class Article extends Model<InferAttributes<Article>, InferCreationAttributes<Article>> {
  declare id: CreationOptional<number>;
  declare slug: string;
  declare title: string;
  declare description: string;
  /** The article's text; the API calls it `body` (schema v2 renamed the column from `body`). */
  declare content: string;
  /** Minutes to read `content`: the API layer computes it, the store stores it. */
  declare readingMinutes: number;
  declare authorId: ForeignKey<User["id"]>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  declare author?: NonAttribute<User>;
  declare tags?: NonAttribute<Tag[]>;
  declare comments?: NonAttribute<Comment[]>;
  /** The viewer's favorite of this article, when a query includes it (zero or one link). */
  declare favoriteLinks?: NonAttribute<Favorite[]>;
}

export class Tag extends Model<InferAttributes<Tag>, InferCreationAttributes<Tag>> {
  declare id: CreationOptional<number>;
  declare name: string;
}

export class ArticleTag extends Model<InferAttributes<ArticleTag>, InferCreationAttributes<ArticleTag>> {
  declare articleId: ForeignKey<Article["id"]>;
  declare tagId: ForeignKey<Tag["id"]>;
}

export class Favorite extends Model<InferAttributes<Favorite>, InferCreationAttributes<Favorite>> {
  declare userId: ForeignKey<User["id"]>;
  declare articleId: ForeignKey<Article["id"]>;
}

export class Comment extends Model<InferAttributes<Comment>, InferCreationAttributes<Comment>> {
  declare id: CreationOptional<number>;
  declare body: string;
  declare articleId: ForeignKey<Article["id"]>;
  declare authorId: ForeignKey<User["id"]>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  declare author?: NonAttribute<User>;
}

/**
 * Binds the model classes to `sequelize` and declares their associations. Sequelize v6 models are
 * classes bound to one instance at a time, so a process holds one store (as the server does).
 */
export function initModels(sequelize: Sequelize): void {
  // Factories, not shared objects: Sequelize writes into each attribute definition (its `field`).
  const id = () => ({ type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true });
  const timestamps = () => ({
    createdAt: { type: DataTypes.DATE, allowNull: false },
    updatedAt: { type: DataTypes.DATE, allowNull: false },
  });
  const linkKey = () => ({ type: DataTypes.INTEGER, allowNull: false, primaryKey: true });
  const options = { sequelize, underscored: true };
  const linkOptions = { ...options, timestamps: false };

  User.init(
    {
      id: id(),
      // Unique regardless of case: the expression index below, not a unique constraint (schema v2).
      email: { type: DataTypes.TEXT, allowNull: false },
      username: { type: DataTypes.TEXT, allowNull: false, unique: true },
      passwordHash: { type: DataTypes.TEXT, allowNull: false },
      bio: { type: DataTypes.TEXT, allowNull: true },
      image: { type: DataTypes.TEXT, allowNull: true },
      ...timestamps(),
    },
    {
      ...options,
      tableName: "users",
      indexes: [{ name: "users_email_lower_key", unique: true, fields: [fn("lower", col("email"))] }],
    },
  );
  Follow.init({ followerId: linkKey(), followeeId: linkKey() }, { ...linkOptions, tableName: "follows" });
  Article.init(
    {
      id: id(),
      slug: { type: DataTypes.TEXT, allowNull: false, unique: true },
      title: { type: DataTypes.TEXT, allowNull: false },
      description: { type: DataTypes.TEXT, allowNull: false },
      content: { type: DataTypes.TEXT, allowNull: false },
      readingMinutes: { type: DataTypes.INTEGER, allowNull: false },
      ...timestamps(),
    },
    { ...options, tableName: "articles" },
  );
  Tag.init(
    { id: id(), name: { type: DataTypes.TEXT, allowNull: false, unique: true } },
    { ...options, tableName: "tags", timestamps: false },
  );
  ArticleTag.init({ articleId: linkKey(), tagId: linkKey() }, { ...linkOptions, tableName: "article_tags" });
  Favorite.init({ userId: linkKey(), articleId: linkKey() }, { ...linkOptions, tableName: "favorites" });
  Comment.init(
    { id: id(), body: { type: DataTypes.TEXT, allowNull: false }, ...timestamps() },
    { ...options, tableName: "comments" },
  );

  // Articles and comments have an author.
  User.hasMany(Article, { as: "articles", foreignKey: "authorId" });
  Article.belongsTo(User, { as: "author", foreignKey: "authorId" });
  Article.hasMany(Comment, { as: "comments", foreignKey: "articleId" });
  Comment.belongsTo(Article, { as: "article", foreignKey: "articleId" });
  Comment.belongsTo(User, { as: "author", foreignKey: "authorId" });

  // Tags, favorites and follows are many-to-many through their link tables, and the link models
  // are also reachable directly (the docs' "super many-to-many"): `tagLinks`, `favoriteLinks` and
  // `followerLinks` let a filter or a "does the viewer ..." flag join one link row.
  Article.belongsToMany(Tag, { through: ArticleTag, as: "tags", foreignKey: "articleId", otherKey: "tagId" });
  Tag.belongsToMany(Article, { through: ArticleTag, as: "articles", foreignKey: "tagId", otherKey: "articleId" });
  Article.hasMany(ArticleTag, { as: "tagLinks", foreignKey: "articleId" });
  ArticleTag.belongsTo(Tag, { as: "tag", foreignKey: "tagId" });

  Article.belongsToMany(User, { through: Favorite, as: "fans", foreignKey: "articleId", otherKey: "userId" });
  User.belongsToMany(Article, { through: Favorite, as: "favorites", foreignKey: "userId", otherKey: "articleId" });
  Article.hasMany(Favorite, { as: "favoriteLinks", foreignKey: "articleId" });

  User.belongsToMany(User, { through: Follow, as: "followers", foreignKey: "followeeId", otherKey: "followerId" });
  User.belongsToMany(User, { through: Follow, as: "followees", foreignKey: "followerId", otherKey: "followeeId" });
  User.hasMany(Follow, { as: "followerLinks", foreignKey: "followeeId" });
}
