from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


# HAND FIX (second commit): Aerich detected the rename (it asks) and expressed the lower(email)
# index, but emitted reading_minutes NOT NULL with no backfill (fails on a table with rows), the
# lower(email) index without UNIQUE, and dropped users_email_key before any new rule existed. Its
# down re-created email's uniqueness as an index named uid_users_email_133a6f, not the constraint
# users_email_key, and altered email's type to TEXT in both directions for nothing. Rewritten as
# apps/pg's v2 migration: rename, add nullable, backfill at 200 words a minute, SET NOT NULL, the
# unique index before the old constraint goes.
async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "articles" RENAME COLUMN "body" TO "content";
        ALTER TABLE "articles" ADD "reading_minutes" INT;
        UPDATE "articles"
           SET "reading_minutes" = greatest(1, ceil((SELECT count(*) FROM regexp_matches("content", '\\S+', 'g')) / 200.0))::integer;
        ALTER TABLE "articles" ALTER COLUMN "reading_minutes" SET NOT NULL;
        CREATE UNIQUE INDEX "users_email_lower_key" ON "users" (LOWER("email"));
        ALTER TABLE "users" DROP CONSTRAINT "users_email_key";"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "users" ADD CONSTRAINT "users_email_key" UNIQUE ("email");
        DROP INDEX "users_email_lower_key";
        ALTER TABLE "articles" DROP COLUMN "reading_minutes";
        ALTER TABLE "articles" RENAME COLUMN "content" TO "body";"""


MODELS_STATE = (
    "eJztW9tu2zgQ/RVDL00Ab9F60wv2zXGcbbaJXSTqtuh2QdASLQuRREei6hjZ/PuSlKgr5U"
    "jyBXHMl8Se4YjkmeGQc0w9aC42kRO87vvENhyk/dF50Dzosg9FVbejwfk8VTABgRNupMGo"
    "ERfCSUB8aBAqn0InQFRkosDw7TmxsUelXug4TIgN2tD2rFQUevZdiADBFiIz5FPFP/9Sse"
    "2Z6J4+nH590KY2ckz+WTN8BAkyASQaa4bu5z4KAtpJICzFXMT4QGoCbPOez2E55000/gQ6"
    "cv7lsdvJdQVDMsM+tWHNWvSb2NcfAXvO/BbwQeQcEw2Cy4GwvfDIOW/IgJ0AAzuh66WN50"
    "vavZe0tj3CpBbykM8GQ2XED5mnmCNipwrnRU5Jm0TeyNiYaApDh2Q8OwGpTANgNNbBzVAH"
    "QGsQCwaFk2JBhxrw2VtsCL/13p58OPn4+/uTj7QJH2Yi+fAYdZ0CExlyeEa69sj1kECQ+j"
    "UFNXBCqwzrVz53nXpFjq6wKuBLB17EV6D5bAFegZ4+/B7Bl8JFbBLlhDxe1UglBpuBSghS"
    "rNJc8wzAomo3CO4cJhj93b8efOpfH131vx9zzTLWXI5Hf4rmmKbMKJeOBpfj0wLc2WE2AL"
    "1gpqBvAT3tnqAoX9aFPWOiIG8BOd0hTToe4NpeSKJDRc3dTmL59Na3Bx7YzO6XCer0BFMC"
    "94xqiO2iitjOWRbANWPT1+LDTqG+uXPOom9Hrzy8ODp+dbyloL+4Gt7o/asvucg/6+tDpu"
    "nlol5Ij94f5wM/eUjn24X+qcO+dn6MR0MOKw6I5fMe03b6D3YqZSdRDOj0ADSz2AixEOXc"
    "Hc7Nlu7OWyp374W7c8VKzcyZs1E5M86ZrAab3koLhgiwMsLn2Ee25X1GSw70BR0T9AzZ0T"
    "cusL8GaI8PBalUS+oVHy6SsjUfWHT2dM6I8PkP+jeD/tkwqnQn0LhdQN8EFXAb2HUR67oE"
    "+Glsef75Gjmw4qwbYz2InvKC4Obg4R7OgJaDs6xye64UYQItCbpX0FvqmP2tGc46tPa19p"
    "XFMp8VKHBi8Rx9Fm90cyyyPRxF7HP8b9EyBjdeAolnYk1sFGvJzMehNcsqhF+ka4fKQQnq"
    "3GYwhb+wb7NhTpYbcG/bbLVX/hWTLDpYYCnzcEhtmro497wG/uXLGHrQ4jI258duKcdJuN"
    "xM+qvmcrOZdndcbgajJzhVMT6QmrTlcmv3lLC3irJ9PpTtBJuSjFZNy4j2ipNpQ4MpxuCQ"
    "SkjFGByUu/MnlLqUQc5IcQYSnlUxMZtCdRUTk95QWJOKydx12DOIa7MxuTUrp2PKAaxYrq"
    "2yXGtSOCurQUZVSCrBmMGorgIF67DVClDVS7usl/j/EqxPXXERVgdxxaW0y2xt0Za2r01w"
    "r2vsX8/BMbX5ucw8ixRdwmLn2bn8vlck6FJ2dl3+NaHkKxMy3wglGVlskNUpmTGMu2XlJP"
    "yYdjn+Nrw++qkhF9rOT+1YyzJmfIiAq4CDF8jnCHcVYfYsNgDulyaMWWKgKLMWlBlbDO32"
    "3KzlQey7WdjmMAgWmCbnGQxmTaK1ZKiitkXUTmzciFSPmreCOo7BQ0XadukJoQnWiYFCW/"
    "2AoRht9QPGYbu7QbFep9puco/s5RHFhXce1GW77V62m2KH1sdsDCWI1ZWsRleyOJAxMVIg"
    "fWJdFesjTCX3srhmE7fuFKu3EVavdImxCbuXuZm31t27UprMx55axGsuYpENpYu46m5lYY"
    "2vsYifpm77yLeNmSZ7ST7SdFe+I5+2Ub+p7SpCt02p/qKrX/pS7mAGfTm0GZMXQVDR9XIP"
    "HORZhC2N3rt3KwAVdTxtVSgWRInfi3SFazR0UTVAOG7+AtF9++ZNDXRpq0p0ua7mG85/3Y"
    "xHTd9wNm2DdP7rOHawxwd/GbgMjNWkVJF/6ubLXPaA053+xizZzB7/B2Rhi9k="
)
