import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity("tags")
export class Tag {
  @PrimaryGeneratedColumn("increment", { type: "integer" })
  id!: number;

  @Column({ type: "text", unique: true })
  name!: string;
}
