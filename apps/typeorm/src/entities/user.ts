import { Column, CreateDateColumn, Entity, Index, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { Follow } from "./follow.js";

// Emails are unique regardless of case: a unique index on `lower(email)`, which `@Index` cannot
// express (it takes columns, not expressions). TypeORM's documented way for such an index: create it
// in a migration and declare it here by name with `synchronize: false`, so that neither
// `migration:generate` nor `synchronize` ever drops or re-creates it.
@Entity("users")
@Index("users_email_lower_key", { synchronize: false })
export class User {
  @PrimaryGeneratedColumn("increment", { type: "integer" })
  id!: number;

  @Column({ type: "text" })
  email!: string;

  @Column({ type: "text", unique: true })
  username!: string;

  // Hidden (`select: false`, TypeORM's documented way for a password): no query selects it unless
  // it asks, so neither the signed-in user's lookup of every request nor any join of an author
  // carries the hash. Only login reads it.
  @Column({ type: "text", select: false })
  passwordHash!: string;

  @Column({ type: "text", nullable: true })
  bio!: string | null;

  @Column({ type: "text", nullable: true })
  image!: string | null;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt!: Date;

  @OneToMany(
    () => Follow,
    (follow) => follow.followee,
  )
  followers!: Follow[];

  /** The viewer's follow of this user, when a query joins it (`following` in a profile). */
  viewerFollow?: Follow | null;
}
