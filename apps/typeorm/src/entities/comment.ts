import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from "typeorm";
import { Article } from "./article.js";
import { User } from "./user.js";

@Entity("comments")
export class Comment {
  @PrimaryGeneratedColumn("increment", { type: "integer" })
  id!: number;

  @Column({ type: "text" })
  body!: string;

  @Column({ type: "integer" })
  @Index()
  articleId!: number;

  @Column({ type: "integer" })
  @Index()
  authorId!: number;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt!: Date;

  @ManyToOne(
    () => Article,
    (article) => article.comments,
    { onDelete: "CASCADE" },
  )
  @JoinColumn()
  article!: Article;

  @ManyToOne(() => User, { onDelete: "CASCADE" })
  @JoinColumn()
  author!: User;
}
