import type { ArticleBody, ArticleListItemBody, CommentBody, ProfileBody, UserBody } from "@arena/contract";
import type { ArticleRecord, ArticleSummaryRecord, CommentRecord, ProfileRecord, UserRecord } from "./store.js";

/**
 * Store records to response bodies: the only place that knows the JSON shapes of the spec.
 * Tags are sorted here, by code point, so that every app answers in the same order whatever its
 * database collation or ORM returns.
 */
const sortedTags = (tags: string[]) => [...tags].sort();

export const presentUser = (user: UserRecord, token: string): UserBody => ({
  email: user.email,
  token,
  username: user.username,
  bio: user.bio,
  image: user.image,
});

export const presentProfile = (profile: ProfileRecord): ProfileBody => ({
  username: profile.username,
  bio: profile.bio,
  image: profile.image,
  following: profile.following,
});

export const presentArticleSummary = (article: ArticleSummaryRecord): ArticleListItemBody => ({
  slug: article.slug,
  title: article.title,
  description: article.description,
  tagList: sortedTags(article.tagList),
  createdAt: article.createdAt.toISOString(),
  updatedAt: article.updatedAt.toISOString(),
  favorited: article.favorited,
  favoritesCount: article.favoritesCount,
  author: presentProfile(article.author),
});

export const presentArticle = (article: ArticleRecord): ArticleBody => ({
  slug: article.slug,
  title: article.title,
  description: article.description,
  body: article.body,
  tagList: sortedTags(article.tagList),
  createdAt: article.createdAt.toISOString(),
  updatedAt: article.updatedAt.toISOString(),
  favorited: article.favorited,
  favoritesCount: article.favoritesCount,
  author: presentProfile(article.author),
});

export const presentComment = (comment: CommentRecord): CommentBody => ({
  id: comment.id,
  createdAt: comment.createdAt.toISOString(),
  updatedAt: comment.updatedAt.toISOString(),
  body: comment.body,
  author: presentProfile(comment.author),
});
