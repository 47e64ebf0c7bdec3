-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "languageStreak" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "localeSource" TEXT;
