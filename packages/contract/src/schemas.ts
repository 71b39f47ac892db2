import { z } from "zod";

/**
 * RealWorld Conduit API v2.0.0 as zod schemas. Response schemas are strict: a field the spec does
 * not name (a password hash, `body` in a list item) fails validation in the contract suite.
 * Request schemas carry the RealWorld error messages the API answers with.
 */

// ---------------------------------------------------------------------------------------------
// Messages. RealWorld error bodies are `{"errors": {"<field>": ["<message>"]}}`.
// ---------------------------------------------------------------------------------------------

export const messages = {
  blank: "can't be blank",
  notString: "must be a string",
  notObject: "must be an object",
  notStringList: "must be a list of strings",
  blankTag: "can't contain a blank tag",
  invalidEmail: "is invalid",
  passwordTooShort: "is too short (minimum is 8 characters)",
  passwordTooLong: "is too long (maximum is 256 characters)",
  emptyUpdate: "must change at least one field",
  notInteger: "must be an integer",
  taken: "has already been taken",
  notFound: "not found",
  forbidden: "forbidden",
  missingToken: "is missing",
  invalidToken: "is invalid",
  invalidCredentials: "invalid",
  invalidJson: "is not valid JSON",
  nulCharacter: "can't contain the NUL character",
  invalidUnicode: "can't contain a lone surrogate (not valid unicode)",
  databaseUnavailable: "is unavailable",
  databaseTimeout: "timed out",
} as const;

/** The JWT secret of every app started without JWT_SECRET outside production, so a newcomer's
 * `npm start` works and the contract suite can forge tokens against it. */
export const DEVELOPMENT_JWT_SECRET = "orm-arena-development-secret-do-not-use-in-production";

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;
export const LIMIT_DEFAULT = 20;
export const LIMIT_MAX = 1000;
export const OFFSET_MAX = 2_147_483_647;

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

const isoDateTime = z.iso.datetime({ offset: true });

export const Profile = z
  .strictObject({
    username: z.string(),
    bio: z.string().nullable(),
    image: z.string().nullable(),
    following: z.boolean(),
  })
  .meta({ id: "Profile" });

export const User = z
  .strictObject({
    email: z.string(),
    token: z.string(),
    username: z.string(),
    bio: z.string().nullable(),
    image: z.string().nullable(),
  })
  .meta({ id: "User" });

export const Article = z
  .strictObject({
    slug: z.string(),
    title: z.string(),
    description: z.string(),
    body: z.string(),
    tagList: z.array(z.string()),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    favorited: z.boolean(),
    favoritesCount: z.int().nonnegative(),
    author: Profile,
  })
  .meta({ id: "Article" });

/** An article in a list: everything but `body`, which lists leave out. */
export const ArticleListItem = Article.omit({ body: true }).meta({ id: "ArticleListItem" });

export const Comment = z
  .strictObject({
    id: z.int(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    body: z.string(),
    author: Profile,
  })
  .meta({ id: "Comment" });

export const GenericError = z
  .strictObject({ errors: z.record(z.string(), z.array(z.string())) })
  .meta({ id: "GenericErrorModel" });

export const UserResponse = z.strictObject({ user: User }).meta({ id: "UserResponse" });
export const ProfileResponse = z.strictObject({ profile: Profile }).meta({ id: "ProfileResponse" });
export const SingleArticleResponse = z.strictObject({ article: Article }).meta({ id: "SingleArticleResponse" });
export const MultipleArticlesResponse = z
  .strictObject({ articles: z.array(ArticleListItem), articlesCount: z.int().nonnegative() })
  .meta({ id: "MultipleArticlesResponse" });
export const SingleCommentResponse = z.strictObject({ comment: Comment }).meta({ id: "SingleCommentResponse" });
export const MultipleCommentsResponse = z
  .strictObject({ comments: z.array(Comment) })
  .meta({ id: "MultipleCommentsResponse" });
export const TagsResponse = z.strictObject({ tags: z.array(z.string()) }).meta({ id: "TagsResponse" });

// ---------------------------------------------------------------------------------------------
// Requests. Unknown fields are ignored, as clients often send more than the spec names.
// ---------------------------------------------------------------------------------------------

/** PostgreSQL text cannot hold U+0000, so it is refused up front rather than failing in the database. */
const withoutNul = (value: string) => !value.includes("\u0000");
/**
 * A lone UTF-16 surrogate (JSON allows `"\ud800"`) has no UTF-8 form: PostgreSQL would store U+FFFD
 * instead, and the text would not come back as sent. Refused up front too.
 */
const wellFormed = (value: string) => !/\p{Surrogate}/u.test(value);

/** A string that must be present and not blank: absent, null or whitespace is "can't be blank". */
const requiredText = () =>
  z
    .string({
      error: (issue) => (issue.input == null ? messages.blank : messages.notString),
    })
    .refine((value) => value.trim().length > 0, messages.blank)
    .refine(withoutNul, messages.nulCharacter)
    .refine(wellFormed, messages.invalidUnicode);

/** A string that may be absent, but when given must not be blank (null is not "absent"). */
const optionalText = () => requiredText().optional();

/** bio and image: a string, or null to clear it (an empty string clears it too). */
const nullableText = () =>
  z
    .string({ error: messages.notString })
    .refine(withoutNul, messages.nulCharacter)
    .refine(wellFormed, messages.invalidUnicode)
    .nullable()
    .optional();

const email = () => requiredText().refine((value) => /^[^\s@]+@[^\s@]+$/.test(value), messages.invalidEmail);

const newPassword = () =>
  requiredText()
    .refine((value) => value.length >= PASSWORD_MIN_LENGTH, messages.passwordTooShort)
    .refine((value) => value.length <= PASSWORD_MAX_LENGTH, messages.passwordTooLong);

const tagList = () =>
  z
    .array(z.string({ error: messages.notStringList }), { error: messages.notStringList })
    .refine((tags) => tags.every((tag) => tag.trim().length > 0), messages.blankTag)
    .refine((tags) => tags.every(withoutNul), messages.nulCharacter)
    .refine((tags) => tags.every(wellFormed), messages.invalidUnicode);

/** The `{ "user": {...} }` style envelope every request body uses. */
const envelope = <K extends string, T extends z.ZodType>(key: K, inner: T) =>
  z.object({ [key]: inner } as { [P in K]: T });

const wrapped = <T extends z.ZodRawShape>(shape: T) =>
  z.object(shape, {
    error: (issue) => (issue.input == null ? messages.blank : messages.notObject),
  });

const atLeastOneField = <T extends z.ZodObject>(schema: T) =>
  schema.refine((value) => Object.values(value).some((field) => field !== undefined), {
    message: messages.emptyUpdate,
  });

export const LoginUser = wrapped({ email: requiredText(), password: requiredText() }).meta({
  id: "LoginUser",
});
export const NewUser = wrapped({ username: requiredText(), email: email(), password: newPassword() }).meta({
  id: "NewUser",
});
export const UpdateUser = atLeastOneField(
  wrapped({
    email: email().optional(),
    username: optionalText(),
    password: newPassword().optional(),
    bio: nullableText(),
    image: nullableText(),
  }),
).meta({ id: "UpdateUser" });

export const NewArticle = wrapped({
  title: requiredText(),
  description: requiredText(),
  body: requiredText(),
  tagList: tagList().optional(),
}).meta({ id: "NewArticle" });
export const UpdateArticle = atLeastOneField(
  wrapped({
    title: optionalText(),
    description: optionalText(),
    body: optionalText(),
    tagList: tagList().optional(),
  }),
).meta({ id: "UpdateArticle" });

export const NewComment = wrapped({ body: requiredText() }).meta({ id: "NewComment" });

export const LoginUserRequest = envelope("user", LoginUser);
export const NewUserRequest = envelope("user", NewUser);
export const UpdateUserRequest = envelope("user", UpdateUser);
export const NewArticleRequest = envelope("article", NewArticle);
export const UpdateArticleRequest = envelope("article", UpdateArticle);
export const NewCommentRequest = envelope("comment", NewComment);

// ---------------------------------------------------------------------------------------------
// Query and path parameters arrive as strings.
// ---------------------------------------------------------------------------------------------

const integerParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, messages.notInteger)
    .transform(Number)
    .pipe(
      z.number().min(min, `must be greater than or equal to ${min}`).max(max, `must be less than or equal to ${max}`),
    );

const filterParam = () =>
  z
    .string()
    .min(1, messages.blank)
    .refine(withoutNul, messages.nulCharacter)
    .refine(wellFormed, messages.invalidUnicode)
    .optional();

export const PageQuery = z.object({
  limit: integerParam(1, LIMIT_MAX).optional(),
  offset: integerParam(0, OFFSET_MAX).optional(),
});

export const ArticleListQuery = PageQuery.extend({
  tag: filterParam(),
  author: filterParam(),
  favorited: filterParam(),
});

export const CommentIdParam = integerParam(1, 2_147_483_647);

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

export type ProfileBody = z.infer<typeof Profile>;
export type UserBody = z.infer<typeof User>;
export type ArticleBody = z.infer<typeof Article>;
export type ArticleListItemBody = z.infer<typeof ArticleListItem>;
export type CommentBody = z.infer<typeof Comment>;
export type GenericErrorBody = z.infer<typeof GenericError>;
export type LoginUserInput = z.infer<typeof LoginUser>;
export type NewUserInput = z.infer<typeof NewUser>;
export type UpdateUserInput = z.infer<typeof UpdateUser>;
export type NewArticleInput = z.infer<typeof NewArticle>;
export type UpdateArticleInput = z.infer<typeof UpdateArticle>;
export type NewCommentInput = z.infer<typeof NewComment>;
export type ArticleListQueryInput = z.infer<typeof ArticleListQuery>;
export type PageQueryInput = z.infer<typeof PageQuery>;
