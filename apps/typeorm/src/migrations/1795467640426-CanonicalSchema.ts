import type { MigrationInterface, QueryRunner } from "typeorm";

export class CanonicalSchema1795467640426 implements MigrationInterface {
  name = "CanonicalSchema1795467640426";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "tags" ("id" SERIAL NOT NULL, "name" text NOT NULL, CONSTRAINT "tags_name_key" UNIQUE ("name"), CONSTRAINT "tags_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "article_tags" ("article_id" integer NOT NULL, "tag_id" integer NOT NULL, CONSTRAINT "article_tags_pkey" PRIMARY KEY ("article_id", "tag_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "article_tags_tag_id_idx" ON "article_tags"  ("tag_id") `);
    await queryRunner.query(
      `CREATE TABLE "follows" ("follower_id" integer NOT NULL, "followee_id" integer NOT NULL, CONSTRAINT "follows_pkey" PRIMARY KEY ("follower_id", "followee_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "follows_followee_id_idx" ON "follows"  ("followee_id") `);
    await queryRunner.query(
      `CREATE TABLE "users" ("id" SERIAL NOT NULL, "email" text NOT NULL, "username" text NOT NULL, "password_hash" text NOT NULL, "bio" text, "image" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "users_email_key" UNIQUE ("email"), CONSTRAINT "users_username_key" UNIQUE ("username"), CONSTRAINT "users_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "comments" ("id" SERIAL NOT NULL, "body" text NOT NULL, "article_id" integer NOT NULL, "author_id" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "comments_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "comments_article_id_idx" ON "comments"  ("article_id") `);
    await queryRunner.query(`CREATE INDEX "comments_author_id_idx" ON "comments"  ("author_id") `);
    await queryRunner.query(
      `CREATE TABLE "favorites" ("user_id" integer NOT NULL, "article_id" integer NOT NULL, CONSTRAINT "favorites_pkey" PRIMARY KEY ("user_id", "article_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "favorites_article_id_idx" ON "favorites"  ("article_id") `);
    await queryRunner.query(
      `CREATE TABLE "articles" ("id" SERIAL NOT NULL, "slug" text NOT NULL, "title" text NOT NULL, "description" text NOT NULL, "body" text NOT NULL, "author_id" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "articles_slug_key" UNIQUE ("slug"), CONSTRAINT "articles_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "articles_author_id_created_at_idx" ON "articles"  ("author_id", "created_at") `,
    );
    await queryRunner.query(`CREATE INDEX "articles_created_at_idx" ON "articles"  ("created_at") `);
    await queryRunner.query(
      `ALTER TABLE "article_tags" ADD CONSTRAINT "article_tags_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "article_tags" ADD CONSTRAINT "article_tags_tag_id_fkey" FOREIGN KEY ("tag_id") REFERENCES "tags"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "follows" ADD CONSTRAINT "follows_follower_id_fkey" FOREIGN KEY ("follower_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "follows" ADD CONSTRAINT "follows_followee_id_fkey" FOREIGN KEY ("followee_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "comments_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "comments_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "favorites" ADD CONSTRAINT "favorites_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "favorites" ADD CONSTRAINT "favorites_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "articles" ADD CONSTRAINT "articles_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "articles" DROP CONSTRAINT "articles_author_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "favorites" DROP CONSTRAINT "favorites_article_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "favorites" DROP CONSTRAINT "favorites_user_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "comments" DROP CONSTRAINT "comments_author_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "comments" DROP CONSTRAINT "comments_article_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "follows" DROP CONSTRAINT "follows_followee_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "follows" DROP CONSTRAINT "follows_follower_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "article_tags" DROP CONSTRAINT "article_tags_tag_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "article_tags" DROP CONSTRAINT "article_tags_article_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."articles_created_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."articles_author_id_created_at_idx"`);
    await queryRunner.query(`DROP TABLE "articles"`);
    await queryRunner.query(`DROP INDEX "public"."favorites_article_id_idx"`);
    await queryRunner.query(`DROP TABLE "favorites"`);
    await queryRunner.query(`DROP INDEX "public"."comments_author_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."comments_article_id_idx"`);
    await queryRunner.query(`DROP TABLE "comments"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP INDEX "public"."follows_followee_id_idx"`);
    await queryRunner.query(`DROP TABLE "follows"`);
    await queryRunner.query(`DROP INDEX "public"."article_tags_tag_id_idx"`);
    await queryRunner.query(`DROP TABLE "article_tags"`);
    await queryRunner.query(`DROP TABLE "tags"`);
  }
}
