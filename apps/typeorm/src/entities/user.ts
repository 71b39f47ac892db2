import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { Follow } from "./follow.js";

@Entity("users")
export class User {
  @PrimaryGeneratedColumn("increment", { type: "integer" })
  id!: number;

  @Column({ type: "text", unique: true })
  email!: string;

  @Column({ type: "text", unique: true })
  username!: string;

  @Column({ type: "text" })
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
