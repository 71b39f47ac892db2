import { Random } from "./random.js";

/** How much data a benchmark database holds; `scale` multiplies the default sizes. */
export interface DatasetSize {
  users: number;
  articles: number;
  tags: number;
  follows: number;
  favorites: number;
  comments: number;
}

/** The default (scale 1): enough rows that indexes matter. */
export const DEFAULT_SIZE: DatasetSize = {
  users: 2_000,
  articles: 20_000,
  tags: 300,
  follows: 20_000,
  favorites: 40_000,
  comments: 40_000,
};

export function sizeAt(scale: number): DatasetSize {
  const at = (n: number, min: number) => Math.max(min, Math.round(n * scale));
  return {
    users: at(DEFAULT_SIZE.users, 20),
    articles: at(DEFAULT_SIZE.articles, 60),
    tags: at(DEFAULT_SIZE.tags, 10),
    follows: at(DEFAULT_SIZE.follows, 40),
    favorites: at(DEFAULT_SIZE.favorites, 60),
    comments: at(DEFAULT_SIZE.comments, 60),
  };
}

export interface Dataset {
  size: DatasetSize;
  users: { id: number; username: string; email: string; bio: string | null; image: string | null }[];
  tags: { id: number; name: string }[];
  articles: {
    id: number;
    slug: string;
    title: string;
    description: string;
    body: string;
    authorId: number;
    createdAt: Date;
  }[];
  articleTags: { articleId: number; tagId: number }[];
  follows: { followerId: number; followeeId: number }[];
  favorites: { userId: number; articleId: number }[];
  comments: { id: number; body: string; articleId: number; authorId: number; createdAt: Date }[];
}

const WORDS = (
  "orm query schema index table column join migration transaction pool driver postgres type safe builder " +
  "entity relation model repository mapper record active lazy eager batch cursor page offset limit count " +
  "favorite follow feed article comment tag author profile slug title body description update delete create"
).split(" ");

const EPOCH = Date.UTC(2025, 0, 1);
const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * The benchmark data set, generated from a seed: every app's database gets exactly these rows,
 * so every app answers the same requests over the same data. Popularity is skewed (a few tags,
 * authors and articles get most of the activity), as on a real blog.
 */
export function generateDataset(scale = 1, seed = 2026): Dataset {
  const size = sizeAt(scale);
  const random = new Random(seed);
  const sentence = (words: number) => Array.from({ length: words }, () => random.pick(WORDS)).join(" ");

  const users = Array.from({ length: size.users }, (_, i) => ({
    id: i + 1,
    username: `user${i + 1}`,
    email: `user${i + 1}@bench.example`,
    bio: i % 3 === 0 ? null : `Writes about ${sentence(3)}.`,
    image: i % 4 === 0 ? null : `https://images.example/${i + 1}.png`,
  }));
  const tags = Array.from({ length: size.tags }, (_, i) => ({ id: i + 1, name: `${random.pick(WORDS)}-${i + 1}` }));

  // Articles in creation order, so ids and created_at rise together as they do in a live database.
  const articles = Array.from({ length: size.articles }, (_, i) => {
    const title = `${sentence(4)} ${i + 1}`;
    return {
      id: i + 1,
      slug: `${title.replaceAll(" ", "-")}-b${(i + 1).toString(36)}`,
      title,
      description: sentence(10),
      body: Array.from({ length: random.int(2, 6) }, () => `${sentence(random.int(20, 60))}.`).join("\n\n"),
      authorId: random.skewed(size.users) + 1,
      createdAt: new Date(EPOCH + Math.floor(((i + random.next()) / size.articles) * YEAR_MS)),
    };
  });

  const articleTags: Dataset["articleTags"] = [];
  for (const article of articles) {
    const chosen = new Set<number>();
    const count = random.int(0, 4);
    while (chosen.size < count) chosen.add(random.skewed(size.tags) + 1);
    for (const tagId of chosen) articleTags.push({ articleId: article.id, tagId });
  }

  const pairs = <T>(count: number, make: () => [number, number], build: (a: number, b: number) => T): T[] => {
    const seen = new Set<string>();
    const rows: T[] = [];
    for (let attempts = 0; rows.length < count && attempts < count * 20; attempts++) {
      const [a, b] = make();
      const key = `${a}:${b}`;
      if (a === b || seen.has(key)) continue;
      seen.add(key);
      rows.push(build(a, b));
    }
    return rows;
  };
  const follows = pairs(
    size.follows,
    () => [random.int(1, size.users), random.skewed(size.users) + 1],
    (followerId, followeeId) => ({ followerId, followeeId }),
  );
  const favorites = pairs(
    size.favorites,
    () => [random.int(1, size.users), size.articles - random.skewed(size.articles)],
    (userId, articleId) => ({ userId, articleId }),
  );

  const comments = Array.from({ length: size.comments }, (_, i) => {
    const article = articles[size.articles - 1 - random.skewed(size.articles)] ?? articles[0];
    if (!article) throw new Error("no articles");
    return {
      id: i + 1,
      body: `${sentence(random.int(5, 30))}.`,
      articleId: article.id,
      authorId: random.int(1, size.users),
      createdAt: new Date(article.createdAt.getTime() + random.int(1, 30 * 24 * 3600) * 1000),
    };
  });

  return { size, users, tags, articles, articleTags, follows, favorites, comments };
}
