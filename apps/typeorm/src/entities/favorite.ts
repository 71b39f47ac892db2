import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from "typeorm";
import { Article } from "./article.js";
import { User } from "./user.js";

/** `user` favorited `article`. Written as an entity of its own, see `article-tag.ts`. */
@Entity("favorites")
export class Favorite {
  @PrimaryColumn({ type: "integer" })
  userId!: number;

  // favoritesCount counts by article.
  @PrimaryColumn({ type: "integer" })
  @Index()
  articleId!: number;

  @ManyToOne(() => User, { onDelete: "CASCADE" })
  @JoinColumn()
  user!: User;

  @ManyToOne(
    () => Article,
    (article) => article.favorites,
    { onDelete: "CASCADE" },
  )
  @JoinColumn()
  article!: Article;
}
