-- AlterTable (SQLite adds the columns in place; the generated table rebuild was replaced: same result)
ALTER TABLE "Customer" ADD COLUMN "localeSource" TEXT;
ALTER TABLE "Customer" ADD COLUMN "languageStreak" INTEGER NOT NULL DEFAULT 0;
