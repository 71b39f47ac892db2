import type { MigrationInterface, QueryRunner } from "typeorm";

export class V2ContentReadingMinutesEmailLower1795475804975 implements MigrationInterface {
  name = "V2ContentReadingMinutesEmailLower1795475804975";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "articles" DROP COLUMN "body"`);
    await queryRunner.query(`ALTER TABLE "articles" ADD "content" text NOT NULL`);
    await queryRunner.query(`ALTER TABLE "articles" ADD "reading_minutes" integer NOT NULL`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "users_email_key"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "users_email_key" UNIQUE ("email")`);
    await queryRunner.query(`ALTER TABLE "articles" DROP COLUMN "reading_minutes"`);
    await queryRunner.query(`ALTER TABLE "articles" DROP COLUMN "content"`);
    await queryRunner.query(`ALTER TABLE "articles" ADD "body" text NOT NULL`);
  }
}
