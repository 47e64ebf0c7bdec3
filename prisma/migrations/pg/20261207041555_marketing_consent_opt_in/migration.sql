-- AlterTable
ALTER TABLE "Customer" ALTER COLUMN "marketingOptIn" SET DEFAULT false;
