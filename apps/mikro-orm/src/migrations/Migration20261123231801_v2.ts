import { Migration } from "@mikro-orm/migrations";

export class Migration20261123231801_v2 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "users" drop constraint "users_email_key";`);

    this.addSql(`create unique index "users_email_lower_key" on "public"."users" (lower("email"));`);

    this.addSql(`alter table "articles" add column "reading_minutes" int not null;`);
    this.addSql(`alter table "articles" rename column "body" to "content";`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "users" drop constraint "users_email_lower_key";`);

    this.addSql(`alter table "users" add constraint "users_email_key" unique ("email");`);

    this.addSql(`alter table "articles" drop column "reading_minutes";`);

    this.addSql(`alter table "articles" rename column "content" to "body";`);
  }
}
