import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from "typeorm";
import { User } from "./user.js";

/** `follower` follows `followee`. Written as an entity of its own, see `article-tag.ts`. */
@Entity("follows")
export class Follow {
  @PrimaryColumn({ type: "integer" })
  followerId!: number;

  // The primary key serves "whom does X follow"; this index serves "who follows X" and user deletes.
  @PrimaryColumn({ type: "integer" })
  @Index()
  followeeId!: number;

  @ManyToOne(() => User, { onDelete: "CASCADE" })
  @JoinColumn()
  follower!: User;

  @ManyToOne(
    () => User,
    (user) => user.followers,
    { onDelete: "CASCADE" },
  )
  @JoinColumn()
  followee!: User;
}
