import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from "typeorm";
import { Article } from "./article.js";
import { Tag } from "./tag.js";

/**
 * The link between an article and a tag. A `@ManyToMany` with `@JoinTable` would create this table
 * by itself, but always with an index on each of its two columns, and the canonical schema has
 * none on `article_id` (the primary key, which starts with it, serves that side). An explicit
 * junction entity, as TypeORM's docs suggest when a join table needs control, states exactly
 * the keys and indexes wanted.
 */
@Entity("article_tags")
export class ArticleTag {
  @PrimaryColumn({ type: "integer" })
  articleId!: number;

  // The tag filter goes from a tag to its articles.
  @PrimaryColumn({ type: "integer" })
  @Index()
  tagId!: number;

  @ManyToOne(
    () => Article,
    (article) => article.articleTags,
    { onDelete: "CASCADE" },
  )
  @JoinColumn()
  article!: Article;

  @ManyToOne(() => Tag, { onDelete: "CASCADE" })
  @JoinColumn()
  tag!: Tag;
}
