import { Article } from "./article.js";
import { ArticleTag } from "./article-tag.js";
import { Comment } from "./comment.js";
import { Favorite } from "./favorite.js";
import { Follow } from "./follow.js";
import { Tag } from "./tag.js";
import { User } from "./user.js";

export { Article, ArticleTag, Comment, Favorite, Follow, Tag, User };

/** Every entity, listed rather than globbed, so that tsx, vitest and the built JavaScript load them alike. */
export const entities = [User, Follow, Article, Tag, ArticleTag, Favorite, Comment];
