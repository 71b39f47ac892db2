import { Migration } from "@mikro-orm/migrations";

export class Migration20261123210425 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "tags" ("id" serial primary key, "name" text not null);`);
    this.addSql(`alter table "tags" add constraint "tags_name_key" unique ("name");`);

    this.addSql(
      `create table "users" ("id" serial primary key, "email" text not null, "username" text not null, "password_hash" text not null, "bio" text null, "image" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now());`,
    );
    this.addSql(`alter table "users" add constraint "users_email_key" unique ("email");`);
    this.addSql(`alter table "users" add constraint "users_username_key" unique ("username");`);

    this.addSql(
      `create table "follows" ("follower_id" int not null, "followee_id" int not null, constraint "follows_pkey" primary key ("follower_id", "followee_id"));`,
    );
    this.addSql(`create index "follows_followee_id_index" on "follows" ("followee_id");`);

    this.addSql(
      `create table "articles" ("id" serial primary key, "slug" text not null, "title" text not null, "description" text not null, "body" text not null, "author_id" int not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now());`,
    );
    this.addSql(`alter table "articles" add constraint "articles_slug_key" unique ("slug");`);
    this.addSql(`create index "articles_created_at_index" on "articles" ("created_at");`);
    this.addSql(`create index "articles_author_id_created_at_index" on "articles" ("author_id", "created_at");`);

    this.addSql(
      `create table "favorites" ("user_id" int not null, "article_id" int not null, constraint "favorites_pkey" primary key ("user_id", "article_id"));`,
    );
    this.addSql(`create index "favorites_article_id_index" on "favorites" ("article_id");`);

    this.addSql(
      `create table "comments" ("id" serial primary key, "body" text not null, "article_id" int not null, "author_id" int not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now());`,
    );
    this.addSql(`create index "comments_article_id_index" on "comments" ("article_id");`);
    this.addSql(`create index "comments_author_id_index" on "comments" ("author_id");`);

    this.addSql(
      `create table "article_tags" ("article_id" int not null, "tag_id" int not null, constraint "article_tags_pkey" primary key ("article_id", "tag_id"));`,
    );
    this.addSql(`create index "article_tags_tag_id_index" on "article_tags" ("tag_id");`);

    this.addSql(
      `alter table "follows" add constraint "follows_follower_id_foreign" foreign key ("follower_id") references "users" ("id") on update no action on delete cascade;`,
    );
    this.addSql(
      `alter table "follows" add constraint "follows_followee_id_foreign" foreign key ("followee_id") references "users" ("id") on update no action on delete cascade;`,
    );

    this.addSql(
      `alter table "articles" add constraint "articles_author_id_foreign" foreign key ("author_id") references "users" ("id") on update no action on delete cascade;`,
    );

    this.addSql(
      `alter table "favorites" add constraint "favorites_user_id_foreign" foreign key ("user_id") references "users" ("id") on update no action on delete cascade;`,
    );
    this.addSql(
      `alter table "favorites" add constraint "favorites_article_id_foreign" foreign key ("article_id") references "articles" ("id") on update no action on delete cascade;`,
    );

    this.addSql(
      `alter table "comments" add constraint "comments_article_id_foreign" foreign key ("article_id") references "articles" ("id") on update no action on delete cascade;`,
    );
    this.addSql(
      `alter table "comments" add constraint "comments_author_id_foreign" foreign key ("author_id") references "users" ("id") on update no action on delete cascade;`,
    );

    this.addSql(
      `alter table "article_tags" add constraint "article_tags_article_id_foreign" foreign key ("article_id") references "articles" ("id") on update no action on delete cascade;`,
    );
    this.addSql(
      `alter table "article_tags" add constraint "article_tags_tag_id_foreign" foreign key ("tag_id") references "tags" ("id") on update no action on delete cascade;`,
    );
  }
}
