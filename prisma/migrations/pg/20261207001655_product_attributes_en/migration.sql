-- AlterTable
ALTER TABLE "Product" ADD COLUMN     "attributesEn" JSONB;
