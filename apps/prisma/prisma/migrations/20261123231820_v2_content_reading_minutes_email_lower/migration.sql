/*
  Warnings:

  - You are about to drop the column `body` on the `articles` table. All the data in the column will be lost.
  - Added the required column `content` to the `articles` table without a default value. This is not possible if the table is not empty.
  - Added the required column `reading_minutes` to the `articles` table without a default value. This is not possible if the table is not empty.

*/
-- DropIndex
DROP INDEX "users_email_key";

-- AlterTable
ALTER TABLE "articles" DROP COLUMN "body",
ADD COLUMN     "content" TEXT NOT NULL,
ADD COLUMN     "reading_minutes" INTEGER NOT NULL;
