import type { MigrationInterface, QueryRunner } from "typeorm";

export class V2ContentReadingMinutesEmailLower1795475804975 implements MigrationInterface {
  name = "V2ContentReadingMinutesEmailLower1795475804975";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "articles" RENAME COLUMN "body" TO "content"`);
    await queryRunner.query(`ALTER TABLE "articles" ADD "reading_minutes" integer`);
    await queryRunner.query(
      `UPDATE "articles" SET "reading_minutes" = greatest(1, ceil((SELECT count(*) FROM regexp_matches("content", '\\S+', 'g')) / 200.0))::integer`,
    );
    await queryRunner.query(`ALTER TABLE "articles" ALTER COLUMN "reading_minutes" SET NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "users_email_lower_key" ON "users" (lower("email"))`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "users_email_key"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "users_email_key" UNIQUE ("email")`);
    await queryRunner.query(`DROP INDEX "public"."users_email_lower_key"`);
    await queryRunner.query(`ALTER TABLE "articles" DROP COLUMN "reading_minutes"`);
    await queryRunner.query(`ALTER TABLE "articles" RENAME COLUMN "content" TO "body"`);
  }
}
