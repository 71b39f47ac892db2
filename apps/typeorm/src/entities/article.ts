import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VirtualColumn,
} from "typeorm";
import { ArticleTag } from "./article-tag.js";
import { Comment } from "./comment.js";
import { Favorite } from "./favorite.js";
import { User } from "./user.js";

// Newest-first pages of all articles, and of one author's articles (also the feed).
@Entity("articles")
@Index(["createdAt"])
@Index(["authorId", "createdAt"])
export class Article {
  @PrimaryGeneratedColumn("increment", { type: "integer" })
  id!: number;

  @Column({ type: "text", unique: true })
  slug!: string;

  @Column({ type: "text" })
  title!: string;

  @Column({ type: "text" })
  description!: string;

  @Column({ type: "text" })
  content!: string;

  /** Minutes to read `content`, computed by the API layer (`readingMinutes()` in `@arena/api`). */
  @Column({ type: "integer" })
  readingMinutes!: number;

  @Column({ type: "integer" })
  authorId!: number;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt!: Date;

  @ManyToOne(() => User, { onDelete: "CASCADE" })
  @JoinColumn()
  author!: User;

  @OneToMany(
    () => ArticleTag,
    (articleTag) => articleTag.article,
  )
  articleTags!: ArticleTag[];

  @OneToMany(
    () => Favorite,
    (favorite) => favorite.article,
  )
  favorites!: Favorite[];

  @OneToMany(
    () => Comment,
    (comment) => comment.article,
  )
  comments!: Comment[];

  // RAW SQL ESCAPE HATCH: TypeORM 1.x maps an aggregate onto an entity only through a virtual
  // column, whose subquery is SQL text (`loadRelationCountAndMap` and `@RelationCount` are gone).
  @VirtualColumn({
    type: "integer",
    query: (alias) => `SELECT count(*)::int FROM favorites WHERE favorites.article_id = ${alias}.id`,
  })
  favoritesCount!: number;

  /** The viewer's favorite of this article, when a query joins it (`favorited`). */
  viewerFavorite?: Favorite | null;
}
