/** Probe: an article loaded with an association that does not exist (`autor` for `author`). */
import { Article } from "../src/models.js";

export async function articleWithAuthor(slug: string) {
  return Article.findOne({
    where: { slug },
    // probe-fix: include: [{ association: "author" }],
    include: [{ association: "autor" }], // probe-mistake
  });
}
